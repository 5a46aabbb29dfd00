-- Fault: the (page_locale, page_section, slug) index is dropped in a cleanup of "rarely used" indexes: section
-- listings read every page and sort them.
-- Expect: plan.audit seq-scan @ query:section-pages
-- Expect: plan.audit generated-column-unindexed @ query:section-pages
-- Expect: hygiene.generated-predicate-index generated-predicate-without-index @ query:section-pages/page_locale
-- Expect: hygiene.generated-predicate-index generated-predicate-without-index @ query:section-pages/page_section
-- Rows: 12000              (plan rules judge tables over 10K rows)
DROP INDEX idx_content_pages_locale_section;
