-- Readiness figures.
-- Documented information is a document (maintained: approved with a version) or a record
-- (retained: available, with the date of the latest record). record_date: that date, for records.
-- open_major: on the record of nonconformities, how many major nonconformities are open (NULL =
-- not stated); the Stage 1 gate reads it until the app keeps audit records itself.
ALTER TABLE document_register ADD COLUMN record_date DATE;
ALTER TABLE document_register ADD COLUMN open_major INTEGER;
-- A.5.3 now names the impact assessment results, one entry with 6.1.4 and 8.4; an entry kept
-- under its old name becomes that entry (when the workspace has none yet).
UPDATE document_register SET id = 'AI system impact assessment results', title = 'AI system impact assessment results'
WHERE NOT custom AND id = 'AI system impact assessment records'
AND workspace_id NOT IN (SELECT workspace_id FROM document_register WHERE id = 'AI system impact assessment results');
-- Records saved under the document statuses: approved -> available (dated by the last review,
-- else the day the entry was last saved), draft -> partial.
UPDATE document_register SET status = 'available',
record_date = coalesce(last_review, CAST(updated_at AS DATE), current_date)
WHERE NOT custom AND status = 'approved' AND id IN ('Evidence of competence',
'Records that processes were carried out as planned', 'AI risk assessment results', 'AI risk treatment results',
'AI system impact assessment results', 'Monitoring and measurement results', 'Internal audit results',
'Management review results', 'Record of nonconformities and actions taken', 'Results of corrective actions',
'AI system event logs', 'Data provenance records');
UPDATE document_register SET status = 'partial'
WHERE NOT custom AND status = 'draft' AND id IN ('Evidence of competence',
'Records that processes were carried out as planned', 'AI risk assessment results', 'AI risk treatment results',
'AI system impact assessment results', 'Monitoring and measurement results', 'Internal audit results',
'Management review results', 'Record of nonconformities and actions taken', 'Results of corrective actions',
'AI system event logs', 'Data provenance records');
-- Risk: the day the treatment was implemented. Until then the current risk is the inherent
-- rating; the residual rating is the planned one.
ALTER TABLE risk ADD COLUMN treatment_implemented_on DATE;
