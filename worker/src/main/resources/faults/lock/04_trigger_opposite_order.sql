-- Fault 4: an activity counter per organization, maintained by a row trigger on pfa_records. The write path now
-- locks the record row, then the organization's counter row. The month-end job pfa_close_org_period() locks them
-- in the opposite order (counter row first, then the records). Two consequences: writers of DIFFERENT records of
-- one organization serialize on the counter row, and a transaction that writes two records deadlocks with one
-- that wrote another record of the same organization in between.
-- Expect: lock.deadlock deadlock-prone-write-path @ write-path:pfa_update_delta
CREATE TABLE pfa_org_activity (
    organization_id text PRIMARY KEY,
    edits           bigint NOT NULL DEFAULT 0
);

CREATE FUNCTION pfa_track_org_activity() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
AS $$
BEGIN
    INSERT INTO pfa_org_activity AS a (organization_id, edits) VALUES (NEW.organization_id, 1)
    ON CONFLICT (organization_id) DO UPDATE SET edits = a.edits + 1;
    RETURN NEW;
END
$$;

CREATE TRIGGER pfa_records_org_activity
    AFTER UPDATE OF delta_json ON pfa_records
    FOR EACH ROW EXECUTE FUNCTION pfa_track_org_activity();

CREATE FUNCTION pfa_close_org_period(p_org text) RETURNS void
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
AS $$
BEGIN
    UPDATE pfa_org_activity SET edits = 0 WHERE organization_id = p_org;
    UPDATE pfa_records SET updated_at = now() WHERE organization_id = p_org;
END
$$;
