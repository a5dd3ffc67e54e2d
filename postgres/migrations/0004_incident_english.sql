-- Incidents and their updates in English beside the primary Chinese text;
-- empty means not translated (readers then see the Chinese).
ALTER TABLE incidents ADD COLUMN title_en TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN message_en TEXT NOT NULL DEFAULT '';
ALTER TABLE incident_updates ADD COLUMN message_en TEXT NOT NULL DEFAULT '';
