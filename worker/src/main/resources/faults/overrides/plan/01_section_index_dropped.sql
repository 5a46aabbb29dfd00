-- Fault: the (page_locale, page_section, slug) index is dropped in a cleanup of "rarely used" indexes: section
-- listings read every page and sort them.
-- Expect: plan.audit seq-scan @ query:section-pages
-- Rows: 12000              (plan rules judge tables over 10K rows)
DROP INDEX idx_content_pages_locale_section;
