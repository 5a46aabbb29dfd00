-- A migration re-creates the (organization, category) lookup index under a new name without dropping the old one.
-- Expect: hygiene.index-flaws duplicate-index @ index:public.idx_pfa_org_category_v2
CREATE INDEX idx_pfa_org_category_v2 ON pfa_records (organization_id, merged_category);
