-- The legal point of each EU AI Act classification: the Annex III points answered (e.g. '5(b)',
-- several separated by ', ') and the Annex I section ('A' or 'B'). Earlier runs keep '' (they were
-- answered per Annex III area and without the Annex I section).
ALTER TABLE ai_act_classification ADD COLUMN annex_iii_points VARCHAR NOT NULL DEFAULT '';
ALTER TABLE ai_act_classification ADD COLUMN annex_i_section VARCHAR NOT NULL DEFAULT '';
