-- Retraction of an accepted upload by the coordinator (reason required): the upload's status
-- becomes 'retracted', its values leave the current facts and the previous version of each
-- key comes back; its history rows stay. Who retracted it, when and why:
CREATE TABLE upload_retraction (
    upload_id    BIGINT PRIMARY KEY,
    retracted_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    retracted_by VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL
);

-- The current report of an EPN and year: its latest upload still accepted (a retracted one
-- no longer counts, not even as the first received).
CREATE OR REPLACE VIEW cur_report AS
SELECT r.*, u.received_on,
       min(u.received_on) OVER (PARTITION BY r.epn_id, r.year) AS first_received_on
FROM hist_report r JOIN upload u USING (upload_id)
WHERE u.status = 'accepted'
QUALIFY row_number() OVER (PARTITION BY r.epn_id, r.year ORDER BY r.upload_id DESC) = 1;
