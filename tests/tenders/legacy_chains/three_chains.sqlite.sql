-- A database as the three old Alembic chains left it (store 0003, profile_alembic_version p0002,
-- alert_alembic_version a0001, sign-in tables from create_all), with one notice, company and user.
-- Recorded from the code before the one migration tree (Anbudsvakt of 4 December 2026) with sqlite3 .dump.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO alembic_version VALUES('0003');
CREATE TABLE notices (
	id INTEGER NOT NULL, 
	notice_id VARCHAR(100) NOT NULL, 
	version VARCHAR(20) NOT NULL, 
	tender_id VARCHAR(100) NOT NULL, 
	procedure_id VARCHAR(100), 
	form_type VARCHAR(30), 
	notice_type VARCHAR(30), 
	publication_date DATE, 
	issue_date DATE, 
	source VARCHAR(50) NOT NULL, 
	source_url TEXT, 
	raw BLOB NOT NULL, 
	data JSON NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	first_seen DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_notices_notice_version UNIQUE (notice_id, version)
);
INSERT INTO notices VALUES(1,'legacy-1','01','legacy-1',NULL,'competition','cn-standard','2026-03-01',NULL,'ted',NULL,X'3c6c65676163792f3e','{"notice_id": "legacy-1", "version": "01", "procedure_id": null, "publication_number": null, "publication_date": "2026-03-01", "issue_date": null, "language": null, "form_type": "competition", "notice_type": "cn-standard", "notice_subtype": null, "procedure_type": null, "changes_notice": null, "buyers": [{"name": "Falu kommun", "orgnr": "2120002072", "country": null, "city": null, "nuts": null, "municipality_code": null, "url": null}], "title": {"swe": "Sn\u00f6r\u00f6jning Falun"}, "description": {}, "main_cpv": "90620000", "additional_cpv": [], "contract_nature": null, "place_of_performance": [], "estimated_value": null, "framework_agreement": null, "lots": [], "submission_deadline": null, "participation_deadline": null, "documents_url": null, "submission_url": null, "results": [], "source": "ted", "source_url": null, "source_urls": [], "retrieved_at": null, "raw_format": null, "classification": null}','5d06e7d582593102cf2451df0063a034a83aa39fe8ea9108d58304547c564850','2026-12-04 23:46:53.325684','2026-12-04 23:46:53.325684');
CREATE TABLE tenders (
	tender_id VARCHAR(100) NOT NULL, 
	notice_id VARCHAR(100) NOT NULL, 
	version VARCHAR(20) NOT NULL, 
	form_type VARCHAR(30), 
	publication_date DATE, 
	submission_deadline DATETIME, 
	notice_count INTEGER NOT NULL, 
	source_urls JSON NOT NULL, 
	data JSON NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (tender_id)
);
INSERT INTO tenders VALUES('legacy-1','legacy-1','01','competition','2026-03-01',NULL,1,'[]','{"notice_id": "legacy-1", "version": "01", "procedure_id": null, "publication_number": null, "publication_date": "2026-03-01", "issue_date": null, "language": null, "form_type": "competition", "notice_type": "cn-standard", "notice_subtype": null, "procedure_type": null, "changes_notice": null, "buyers": [{"name": "Falu kommun", "orgnr": "2120002072", "country": null, "city": null, "nuts": null, "municipality_code": null, "url": null}], "title": {"swe": "Sn\u00f6r\u00f6jning Falun"}, "description": {}, "main_cpv": "90620000", "additional_cpv": [], "contract_nature": null, "place_of_performance": [], "estimated_value": null, "framework_agreement": null, "lots": [], "submission_deadline": null, "participation_deadline": null, "documents_url": null, "submission_url": null, "results": [], "source": "ted", "source_url": null, "source_urls": [], "retrieved_at": null, "raw_format": null, "classification": null}','2026-12-04 23:46:53.325684');
CREATE TABLE procurement_keys (
	id INTEGER NOT NULL, 
	notice_pk INTEGER NOT NULL, 
	"key" VARCHAR(300) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(notice_pk) REFERENCES notices (id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "crawl_runs" (
	id INTEGER NOT NULL, 
	source VARCHAR(50) NOT NULL, 
	started_at DATETIME NOT NULL, 
	finished_at DATETIME, 
	requests INTEGER NOT NULL, 
	items INTEGER NOT NULL, 
	errors INTEGER NOT NULL, 
	complete BOOLEAN NOT NULL, 
	expected INTEGER, 
	note TEXT NOT NULL, 
	window_start DATE, 
	window_end DATE, 
	backfill BOOLEAN DEFAULT 1 NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE profile_alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT profile_alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO profile_alembic_version VALUES('p0002');
CREATE TABLE profile_companies (
	id VARCHAR(64) NOT NULL, 
	orgnr VARCHAR(10) NOT NULL, 
	name VARCHAR(300) NOT NULL, 
	municipality_code VARCHAR(4), 
	size VARCHAR(10), 
	has_bid_before BOOLEAN, 
	profile JSON NOT NULL, 
	consent_at DATETIME, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (orgnr)
);
INSERT INTO profile_companies VALUES('c1','5560000001','Snö AB',NULL,NULL,NULL,'{}',NULL,'2026-03-02 00:00:00+00:00','2026-03-02 00:00:00+00:00');
CREATE TABLE profile_channels (
	id INTEGER NOT NULL, 
	company_id VARCHAR(64) NOT NULL, 
	kind VARCHAR(10) NOT NULL, 
	address TEXT NOT NULL, 
	active BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	unsubscribed_at DATETIME, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_profile_channels_address UNIQUE (company_id, kind, address), 
	FOREIGN KEY(company_id) REFERENCES profile_companies (id) ON DELETE CASCADE
);
CREATE TABLE profile_consents (
	id INTEGER NOT NULL, 
	company_id VARCHAR(64) NOT NULL, 
	event VARCHAR(20) NOT NULL, 
	at DATETIME NOT NULL, 
	via VARCHAR(30) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(company_id) REFERENCES profile_companies (id) ON DELETE CASCADE
);
CREATE TABLE profile_follows (
	company_id VARCHAR(64) NOT NULL, 
	tender_id VARCHAR(100) NOT NULL, 
	followed_at DATETIME NOT NULL, 
	snapshot JSON NOT NULL, 
	PRIMARY KEY (company_id, tender_id), 
	FOREIGN KEY(company_id) REFERENCES profile_companies (id) ON DELETE CASCADE
);
CREATE TABLE profile_feedback (
	company_id VARCHAR(64) NOT NULL, 
	notice_id VARCHAR(100) NOT NULL, 
	relevant BOOLEAN NOT NULL, 
	at DATETIME NOT NULL, 
	PRIMARY KEY (company_id, notice_id), 
	FOREIGN KEY(company_id) REFERENCES profile_companies (id) ON DELETE CASCADE
);
CREATE TABLE profile_saved_searches (
	id INTEGER NOT NULL, 
	company_id VARCHAR(64) NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	"query" TEXT NOT NULL, 
	in_digest BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(company_id) REFERENCES profile_companies (id) ON DELETE CASCADE
);
CREATE TABLE profile_webhook_secrets (
	company_id VARCHAR(64) NOT NULL, 
	secret VARCHAR(100) NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (company_id), 
	FOREIGN KEY(company_id) REFERENCES profile_companies (id) ON DELETE CASCADE
);
CREATE TABLE alert_alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alert_alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO alert_alembic_version VALUES('a0001');
CREATE TABLE alert_outbox (
	id INTEGER NOT NULL, 
	company_id VARCHAR(64) NOT NULL, 
	channel VARCHAR(40) NOT NULL, 
	kind VARCHAR(10) NOT NULL, 
	event_key VARCHAR(250) NOT NULL, 
	notice_id VARCHAR(100) NOT NULL, 
	tender_id VARCHAR(100) NOT NULL, 
	score FLOAT NOT NULL, 
	reasons JSON NOT NULL, 
	detail JSON NOT NULL, 
	state VARCHAR(10) NOT NULL, 
	attempts INTEGER NOT NULL, 
	next_attempt_at DATETIME NOT NULL, 
	claimed_at DATETIME, 
	message_id VARCHAR(250), 
	digest_date DATE, 
	last_error TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	sent_at DATETIME, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_alert_outbox_once UNIQUE (company_id, channel, kind, event_key), 
	FOREIGN KEY(company_id) REFERENCES profile_companies (id) ON DELETE CASCADE
);
CREATE TABLE auth_users (
	id INTEGER NOT NULL, 
	email VARCHAR(320) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	password_hash VARCHAR(300) NOT NULL, 
	active BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (email)
);
INSERT INTO auth_users VALUES(1,'staff@udd.se','Bo','staff','x',1,'2026-03-02 00:00:00+00:00');
CREATE TABLE auth_sessions (
	token_hash VARCHAR(64) NOT NULL, 
	kind VARCHAR(10) NOT NULL, 
	subject_id VARCHAR(64) NOT NULL, 
	email VARCHAR(320) NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (token_hash)
);
CREATE TABLE auth_used_tokens (
	jti VARCHAR(64) NOT NULL, 
	used_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (jti)
);
CREATE TABLE auth_api_keys (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	prefix VARCHAR(16) NOT NULL, 
	key_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	last_used_at DATETIME, 
	revoked_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES auth_users (id) ON DELETE CASCADE, 
	UNIQUE (key_hash)
);
CREATE INDEX ix_notices_tender_id ON notices (tender_id);
CREATE INDEX ix_tenders_publication_date ON tenders (publication_date);
CREATE INDEX ix_tenders_submission_deadline ON tenders (submission_deadline);
CREATE INDEX ix_procurement_keys_notice_pk ON procurement_keys (notice_pk);
CREATE INDEX ix_procurement_keys_key ON procurement_keys ("key");
CREATE INDEX ix_crawl_runs_source_started ON crawl_runs (source, started_at);
CREATE INDEX ix_profile_channels_company_id ON profile_channels (company_id);
CREATE INDEX ix_profile_consents_company_id ON profile_consents (company_id);
CREATE INDEX ix_profile_saved_searches_company_id ON profile_saved_searches (company_id);
CREATE INDEX ix_alert_outbox_company_id ON alert_outbox (company_id);
CREATE INDEX ix_alert_outbox_message_id ON alert_outbox (message_id);
CREATE INDEX ix_alert_outbox_state_due ON alert_outbox (state, next_attempt_at);
CREATE INDEX ix_auth_sessions_expires_at ON auth_sessions (expires_at);
CREATE INDEX ix_auth_used_tokens_expires_at ON auth_used_tokens (expires_at);
CREATE INDEX ix_auth_api_keys_user_id ON auth_api_keys (user_id);
COMMIT;
