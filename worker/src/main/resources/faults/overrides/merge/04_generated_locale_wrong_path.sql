-- Fault: page_locale is switched to the SEO block's locale ("the canonical source of truth"), which the feeds do
-- not send: every page's locale is NULL and the localized section listings are empty.
-- Expect: merge.generated-column generated-column-drift @ generated-column:content_pages.page_locale
ALTER TABLE content_pages ALTER COLUMN page_locale SET EXPRESSION AS (content -> 'seo' ->> 'locale');
