BEGIN TRANSACTION;
CREATE TABLE configs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL
);
INSERT INTO "configs" VALUES(1,'c0b62673-a4c0-4d8f-aa36-157bbe331bf5','{"id": "c0b62673-a4c0-4d8f-aa36-157bbe331bf5", "tenant_id": "emulator-sub_8f0c6b8e-2f4a-4c1e-9d6b-5a7e3c2b1d00", "name": "Pre-move Genesys", "description": null, "service_provider": "genesys_audio_connector", "security": {"api_key": "fake-pre-move-genesys-api-key", "client_secret": "ZmFrZS1wcmUtbW92ZS1jbGllbnQtc2VjcmV0"}, "custom_invite_headers": [], "put_caller_on_hold_on_transfer": true, "send_provisional_response": true, "error_handling": null, "attached_environments": [], "phone_numbers": [], "created_on": "2026-12-07T01:28:51.527728Z", "created_by": "emulator-user", "updated_at": "2026-12-07T01:28:51.527728Z", "updated_by": "emulator-user"}');
INSERT INTO "configs" VALUES(2,'8698e9d1-7646-4fb3-9f1b-b29709f548fb','{"id": "8698e9d1-7646-4fb3-9f1b-b29709f548fb", "tenant_id": "emulator-sub_8f0c6b8e-2f4a-4c1e-9d6b-5a7e3c2b1d00", "name": "Pre-move trunk", "description": "written before the package had folders", "service_provider": "sip_trunk", "security": {"secure_trunking": true, "authentication": true, "username": "pre-move-user", "password": "fake-pre-move-sip-password"}, "custom_invite_headers": [{"name": "X-Team"}], "put_caller_on_hold_on_transfer": true, "send_provisional_response": true, "error_handling": null, "attached_environments": [], "phone_numbers": [{"phone_number": "+14155550123", "description": "front desk", "agent_id": null, "environment_id": null}], "created_on": "2026-12-07T01:28:51.547564Z", "created_by": "emulator-user", "updated_at": "2026-12-07T01:28:51.775824Z", "updated_by": "emulator-user"}');
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO "meta" VALUES('jwt_signing_secret','adc1e256f800f0aa80a810376b15fe7a9f123e4a58380dc292fd7b655c0083b4');
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('configs',2);
COMMIT;
