-- A review store as schema version 1 wrote it (tests/test_store_schema.py migrates it).
PRAGMA application_id = 1129477751;
PRAGMA user_version = 1;
BEGIN TRANSACTION;
CREATE TABLE calls (
    id              INTEGER PRIMARY KEY,
    call_id         TEXT NOT NULL UNIQUE,
    content_sha256  TEXT NOT NULL UNIQUE,
    title           TEXT,
    seller          TEXT,              -- as imported; later changes are 'seller' events
    outcome         TEXT,              -- as imported; later changes are 'outcome' events
    n_passages      INTEGER NOT NULL CHECK (n_passages > 0),
    source          TEXT,
    roles_inferred  INTEGER NOT NULL DEFAULT 0,
    data            TEXT NOT NULL,     -- the call as corpus v1 JSON, without predictions
    added_at        TEXT NOT NULL
);
INSERT INTO "calls" VALUES(1,'northwind-0412','911808f170abb9e7e1076e5ef26a1653ca27a792a0d0fbd68e567660fc31cc6b','Northwind Freight - discovery','Dana Ortiz','advance',4,'northwind.vtt',0,'{"call_id": "northwind-0412", "title": "Northwind Freight - discovery", "kind": "transcript", "outcome": "advance", "passages": [{"speaker": "Dana Ortiz", "role": "seller", "text": "Thanks for making time. I''d like to spend ten minutes on how returns work today."}, {"speaker": "Sam Lee", "role": "buyer", "text": "Sure. Returns are a mess, honestly."}, {"speaker": "Dana Ortiz", "role": "seller", "text": "How many returns do you process in a week?"}, {"speaker": "Sam Lee", "role": "buyer", "text": "About four hundred, more after the holidays."}]}','2025-01-10T09:00:00.000Z');
CREATE TABLE events (
    id        INTEGER PRIMARY KEY,
    call_id   TEXT NOT NULL REFERENCES calls(call_id),
    kind      TEXT NOT NULL CHECK (kind IN
                ('decision', 'comment', 'feedback', 'outcome', 'status', 'seller', 'undo')),
    passage   INTEGER,
    task      TEXT,
    action    TEXT CHECK (action IS NULL OR action IN ('accept', 'relabel', 'skip')),
    value     TEXT,
    reviewer  TEXT,
    at        TEXT NOT NULL,
    undoes    INTEGER UNIQUE REFERENCES events(id),
    CHECK ((kind = 'undo') = (undoes IS NOT NULL)),
    CHECK ((kind = 'decision') = (action IS NOT NULL))
);
INSERT INTO "events" VALUES(1,'northwind-0412','decision',1,'behavior','relabel','buyer_info','ana','2025-01-10T09:01:00.000Z',NULL);
INSERT INTO "events" VALUES(2,'northwind-0412','decision',0,'stage','accept','opening','ana','2025-01-10T09:02:00.000Z',NULL);
INSERT INTO "events" VALUES(3,'northwind-0412','comment',1,NULL,NULL,'Good open question','ana','2025-01-10T09:03:00.000Z',NULL);
INSERT INTO "events" VALUES(4,'northwind-0412','decision',3,'behavior','skip',NULL,'ana','2025-01-10T09:04:00.000Z',NULL);
INSERT INTO "events" VALUES(5,'northwind-0412','undo',NULL,NULL,NULL,NULL,'ana','2025-01-10T09:05:00.000Z',4);
INSERT INTO "events" VALUES(6,'northwind-0412','feedback',NULL,NULL,NULL,'{"strengths": "clear agenda", "focus": "quantify the pain"}','ana','2025-01-10T09:06:00.000Z',NULL);
INSERT INTO "events" VALUES(7,'northwind-0412','outcome',NULL,NULL,NULL,'order','ana','2025-01-10T09:07:00.000Z',NULL);
INSERT INTO "events" VALUES(8,'northwind-0412','status',NULL,NULL,NULL,'done','ana','2025-01-10T09:08:00.000Z',NULL);
CREATE TABLE prediction_sets (
    id        INTEGER PRIMARY KEY,     -- the highest id of a call is its current set
    call_id   TEXT NOT NULL REFERENCES calls(call_id),
    model_id  TEXT,
    added_at  TEXT NOT NULL
);
INSERT INTO "prediction_sets" VALUES(1,'northwind-0412','test-model-1','2025-01-10T09:00:00.000Z');
CREATE TABLE predictions (
    set_id   INTEGER NOT NULL REFERENCES prediction_sets(id),
    passage  INTEGER NOT NULL,
    task     TEXT NOT NULL,
    label    TEXT NOT NULL,
    margin   REAL NOT NULL,            -- probability gap to the runner-up
    data     TEXT NOT NULL,            -- the Prediction as JSON
    PRIMARY KEY (set_id, passage, task)
) WITHOUT ROWID;
INSERT INTO "predictions" VALUES(1,0,'behavior','agenda',0.65,'{"label": "agenda", "probability": 0.8, "alternatives": [["rapport", 0.15]], "explanation": ["word"], "model_id": "test-model-1"}');
INSERT INTO "predictions" VALUES(1,0,'stage','opening',0.85,'{"label": "opening", "probability": 0.9, "alternatives": [["discovery", 0.05]], "explanation": ["word"], "model_id": "test-model-1"}');
INSERT INTO "predictions" VALUES(1,1,'behavior','buyer_need',0.05,'{"label": "buyer_need", "probability": 0.5, "alternatives": [["buyer_info", 0.45]], "explanation": ["word"], "model_id": "test-model-1"}');
INSERT INTO "predictions" VALUES(1,1,'stage','discovery',0.3,'{"label": "discovery", "probability": 0.6, "alternatives": [["opening", 0.3]], "explanation": ["word"], "model_id": "test-model-1"}');
INSERT INTO "predictions" VALUES(1,2,'behavior','situation_question',0.5,'{"label": "situation_question", "probability": 0.7, "alternatives": [["problem_question", 0.2]], "explanation": ["word"], "model_id": "test-model-1"}');
INSERT INTO "predictions" VALUES(1,2,'stage','discovery',0.92,'{"label": "discovery", "probability": 0.95, "alternatives": [["opening", 0.03]], "explanation": ["word"], "model_id": "test-model-1"}');
INSERT INTO "predictions" VALUES(1,3,'behavior','buyer_info',0.15,'{"label": "buyer_info", "probability": 0.55, "alternatives": [["buyer_need", 0.4]], "explanation": ["word"], "model_id": "test-model-1"}');
INSERT INTO "predictions" VALUES(1,3,'stage','discovery',0.75,'{"label": "discovery", "probability": 0.85, "alternatives": [["presentation", 0.1]], "explanation": ["word"], "model_id": "test-model-1"}');
CREATE VIEW live_events AS
    SELECT * FROM events AS e
    WHERE e.kind != 'undo' AND NOT EXISTS (SELECT 1 FROM events AS u WHERE u.undoes = e.id);
CREATE TRIGGER calls_append_only_u BEFORE UPDATE ON calls
    BEGIN SELECT RAISE(ABORT, 'the review store is append-only'); END;
CREATE TRIGGER calls_append_only_d BEFORE DELETE ON calls
    BEGIN SELECT RAISE(ABORT, 'the review store is append-only'); END;
CREATE TRIGGER prediction_sets_append_only_u BEFORE UPDATE ON prediction_sets
    BEGIN SELECT RAISE(ABORT, 'the review store is append-only'); END;
CREATE TRIGGER prediction_sets_append_only_d BEFORE DELETE ON prediction_sets
    BEGIN SELECT RAISE(ABORT, 'the review store is append-only'); END;
CREATE TRIGGER predictions_append_only_u BEFORE UPDATE ON predictions
    BEGIN SELECT RAISE(ABORT, 'the review store is append-only'); END;
CREATE TRIGGER predictions_append_only_d BEFORE DELETE ON predictions
    BEGIN SELECT RAISE(ABORT, 'the review store is append-only'); END;
CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the review store is append-only'); END;
CREATE TRIGGER events_append_only_d BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the review store is append-only'); END;
COMMIT;
