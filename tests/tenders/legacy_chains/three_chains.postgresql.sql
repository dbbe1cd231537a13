-- A database as the three old Alembic chains left it (store 0003, profile_alembic_version p0002,
-- alert_alembic_version a0001, sign-in tables from create_all), with one notice, company and user.
-- Recorded from the code before the one migration tree (Anbudsvakt of 4 December 2026) with pg_dump --inserts --no-owner --no-privileges (psql meta-commands removed).
SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;
SET default_tablespace = '';
SET default_table_access_method = heap;
CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);
CREATE TABLE public.alert_alembic_version (
    version_num character varying(32) NOT NULL
);
CREATE TABLE public.alert_outbox (
    id integer NOT NULL,
    company_id character varying(64) NOT NULL,
    channel character varying(40) NOT NULL,
    kind character varying(10) NOT NULL,
    event_key character varying(250) NOT NULL,
    notice_id character varying(100) NOT NULL,
    tender_id character varying(100) NOT NULL,
    score double precision NOT NULL,
    reasons json NOT NULL,
    detail json NOT NULL,
    state character varying(10) NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    claimed_at timestamp with time zone,
    message_id character varying(250),
    digest_date date,
    last_error text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    sent_at timestamp with time zone
);
CREATE SEQUENCE public.alert_outbox_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.alert_outbox_id_seq OWNED BY public.alert_outbox.id;
CREATE TABLE public.auth_api_keys (
    id integer NOT NULL,
    user_id integer NOT NULL,
    name character varying(200) NOT NULL,
    prefix character varying(16) NOT NULL,
    key_hash character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone
);
CREATE SEQUENCE public.auth_api_keys_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.auth_api_keys_id_seq OWNED BY public.auth_api_keys.id;
CREATE TABLE public.auth_sessions (
    token_hash character varying(64) NOT NULL,
    kind character varying(10) NOT NULL,
    subject_id character varying(64) NOT NULL,
    email character varying(320) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL
);
CREATE TABLE public.auth_used_tokens (
    jti character varying(64) NOT NULL,
    used_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL
);
CREATE TABLE public.auth_users (
    id integer NOT NULL,
    email character varying(320) NOT NULL,
    name character varying(200) NOT NULL,
    role character varying(20) NOT NULL,
    password_hash character varying(300) NOT NULL,
    active boolean NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE SEQUENCE public.auth_users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.auth_users_id_seq OWNED BY public.auth_users.id;
CREATE TABLE public.crawl_runs (
    id integer NOT NULL,
    source character varying(50) NOT NULL,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    requests integer NOT NULL,
    items integer NOT NULL,
    errors integer NOT NULL,
    complete boolean NOT NULL,
    expected integer,
    note text NOT NULL,
    window_start date,
    window_end date,
    backfill boolean DEFAULT true NOT NULL
);
CREATE SEQUENCE public.crawl_runs_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.crawl_runs_id_seq OWNED BY public.crawl_runs.id;
CREATE TABLE public.notices (
    id integer NOT NULL,
    notice_id character varying(100) NOT NULL,
    version character varying(20) NOT NULL,
    tender_id character varying(100) NOT NULL,
    procedure_id character varying(100),
    form_type character varying(30),
    notice_type character varying(30),
    publication_date date,
    issue_date date,
    source character varying(50) NOT NULL,
    source_url text,
    raw bytea NOT NULL,
    data json NOT NULL,
    content_hash character varying(64) NOT NULL,
    first_seen timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
CREATE SEQUENCE public.notices_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.notices_id_seq OWNED BY public.notices.id;
CREATE TABLE public.procurement_keys (
    id integer NOT NULL,
    notice_pk integer NOT NULL,
    key character varying(300) NOT NULL
);
CREATE SEQUENCE public.procurement_keys_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.procurement_keys_id_seq OWNED BY public.procurement_keys.id;
CREATE TABLE public.profile_alembic_version (
    version_num character varying(32) NOT NULL
);
CREATE TABLE public.profile_channels (
    id integer NOT NULL,
    company_id character varying(64) NOT NULL,
    kind character varying(10) NOT NULL,
    address text NOT NULL,
    active boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    unsubscribed_at timestamp with time zone
);
CREATE SEQUENCE public.profile_channels_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.profile_channels_id_seq OWNED BY public.profile_channels.id;
CREATE TABLE public.profile_companies (
    id character varying(64) NOT NULL,
    orgnr character varying(10) NOT NULL,
    name character varying(300) NOT NULL,
    municipality_code character varying(4),
    size character varying(10),
    has_bid_before boolean,
    profile json NOT NULL,
    consent_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
CREATE TABLE public.profile_consents (
    id integer NOT NULL,
    company_id character varying(64) NOT NULL,
    event character varying(20) NOT NULL,
    at timestamp with time zone NOT NULL,
    via character varying(30) NOT NULL
);
CREATE SEQUENCE public.profile_consents_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.profile_consents_id_seq OWNED BY public.profile_consents.id;
CREATE TABLE public.profile_feedback (
    company_id character varying(64) NOT NULL,
    notice_id character varying(100) NOT NULL,
    relevant boolean NOT NULL,
    at timestamp with time zone NOT NULL
);
CREATE TABLE public.profile_follows (
    company_id character varying(64) NOT NULL,
    tender_id character varying(100) NOT NULL,
    followed_at timestamp with time zone NOT NULL,
    snapshot json NOT NULL
);
CREATE TABLE public.profile_saved_searches (
    id integer NOT NULL,
    company_id character varying(64) NOT NULL,
    name character varying(100) NOT NULL,
    query text NOT NULL,
    in_digest boolean NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE SEQUENCE public.profile_saved_searches_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.profile_saved_searches_id_seq OWNED BY public.profile_saved_searches.id;
CREATE TABLE public.profile_webhook_secrets (
    company_id character varying(64) NOT NULL,
    secret character varying(100) NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE TABLE public.tenders (
    tender_id character varying(100) NOT NULL,
    notice_id character varying(100) NOT NULL,
    version character varying(20) NOT NULL,
    form_type character varying(30),
    publication_date date,
    submission_deadline timestamp with time zone,
    notice_count integer NOT NULL,
    source_urls json NOT NULL,
    data json NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
ALTER TABLE ONLY public.alert_outbox ALTER COLUMN id SET DEFAULT nextval('public.alert_outbox_id_seq'::regclass);
ALTER TABLE ONLY public.auth_api_keys ALTER COLUMN id SET DEFAULT nextval('public.auth_api_keys_id_seq'::regclass);
ALTER TABLE ONLY public.auth_users ALTER COLUMN id SET DEFAULT nextval('public.auth_users_id_seq'::regclass);
ALTER TABLE ONLY public.crawl_runs ALTER COLUMN id SET DEFAULT nextval('public.crawl_runs_id_seq'::regclass);
ALTER TABLE ONLY public.notices ALTER COLUMN id SET DEFAULT nextval('public.notices_id_seq'::regclass);
ALTER TABLE ONLY public.procurement_keys ALTER COLUMN id SET DEFAULT nextval('public.procurement_keys_id_seq'::regclass);
ALTER TABLE ONLY public.profile_channels ALTER COLUMN id SET DEFAULT nextval('public.profile_channels_id_seq'::regclass);
ALTER TABLE ONLY public.profile_consents ALTER COLUMN id SET DEFAULT nextval('public.profile_consents_id_seq'::regclass);
ALTER TABLE ONLY public.profile_saved_searches ALTER COLUMN id SET DEFAULT nextval('public.profile_saved_searches_id_seq'::regclass);
INSERT INTO public.alembic_version VALUES ('0003');
INSERT INTO public.alert_alembic_version VALUES ('a0001');
INSERT INTO public.auth_users VALUES (1, 'staff@udd.se', 'Bo', 'staff', 'x', true, '2026-03-02 00:00:00+00');
INSERT INTO public.notices VALUES (1, 'legacy-1', '01', 'legacy-1', NULL, 'competition', 'cn-standard', '2026-03-01', NULL, 'ted', NULL, '\x3c6c65676163792f3e', '{"notice_id": "legacy-1", "version": "01", "procedure_id": null, "publication_number": null, "publication_date": "2026-03-01", "issue_date": null, "language": null, "form_type": "competition", "notice_type": "cn-standard", "notice_subtype": null, "procedure_type": null, "changes_notice": null, "buyers": [{"name": "Falu kommun", "orgnr": "2120002072", "country": null, "city": null, "nuts": null, "municipality_code": null, "url": null}], "title": {"swe": "Sn\u00f6r\u00f6jning Falun"}, "description": {}, "main_cpv": "90620000", "additional_cpv": [], "contract_nature": null, "place_of_performance": [], "estimated_value": null, "framework_agreement": null, "lots": [], "submission_deadline": null, "participation_deadline": null, "documents_url": null, "submission_url": null, "results": [], "source": "ted", "source_url": null, "source_urls": [], "retrieved_at": null, "raw_format": null, "classification": null}', '5d06e7d582593102cf2451df0063a034a83aa39fe8ea9108d58304547c564850', '2026-12-04 23:47:00.204204+00', '2026-12-04 23:47:00.204204+00');
INSERT INTO public.profile_alembic_version VALUES ('p0002');
INSERT INTO public.profile_companies VALUES ('c1', '5560000001', 'Snö AB', NULL, NULL, NULL, '{}', NULL, '2026-03-02 00:00:00+00', '2026-03-02 00:00:00+00');
INSERT INTO public.tenders VALUES ('legacy-1', 'legacy-1', '01', 'competition', '2026-03-01', NULL, 1, '[]', '{"notice_id": "legacy-1", "version": "01", "procedure_id": null, "publication_number": null, "publication_date": "2026-03-01", "issue_date": null, "language": null, "form_type": "competition", "notice_type": "cn-standard", "notice_subtype": null, "procedure_type": null, "changes_notice": null, "buyers": [{"name": "Falu kommun", "orgnr": "2120002072", "country": null, "city": null, "nuts": null, "municipality_code": null, "url": null}], "title": {"swe": "Sn\u00f6r\u00f6jning Falun"}, "description": {}, "main_cpv": "90620000", "additional_cpv": [], "contract_nature": null, "place_of_performance": [], "estimated_value": null, "framework_agreement": null, "lots": [], "submission_deadline": null, "participation_deadline": null, "documents_url": null, "submission_url": null, "results": [], "source": "ted", "source_url": null, "source_urls": [], "retrieved_at": null, "raw_format": null, "classification": null}', '2026-12-04 23:47:00.204204+00');
SELECT pg_catalog.setval('public.alert_outbox_id_seq', 1, false);
SELECT pg_catalog.setval('public.auth_api_keys_id_seq', 1, false);
SELECT pg_catalog.setval('public.auth_users_id_seq', 1, true);
SELECT pg_catalog.setval('public.crawl_runs_id_seq', 1, false);
SELECT pg_catalog.setval('public.notices_id_seq', 1, true);
SELECT pg_catalog.setval('public.procurement_keys_id_seq', 1, false);
SELECT pg_catalog.setval('public.profile_channels_id_seq', 1, false);
SELECT pg_catalog.setval('public.profile_consents_id_seq', 1, false);
SELECT pg_catalog.setval('public.profile_saved_searches_id_seq', 1, false);
ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);
ALTER TABLE ONLY public.alert_alembic_version
    ADD CONSTRAINT alert_alembic_version_pkc PRIMARY KEY (version_num);
ALTER TABLE ONLY public.alert_outbox
    ADD CONSTRAINT alert_outbox_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.auth_api_keys
    ADD CONSTRAINT auth_api_keys_key_hash_key UNIQUE (key_hash);
ALTER TABLE ONLY public.auth_api_keys
    ADD CONSTRAINT auth_api_keys_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.auth_sessions
    ADD CONSTRAINT auth_sessions_pkey PRIMARY KEY (token_hash);
ALTER TABLE ONLY public.auth_used_tokens
    ADD CONSTRAINT auth_used_tokens_pkey PRIMARY KEY (jti);
ALTER TABLE ONLY public.auth_users
    ADD CONSTRAINT auth_users_email_key UNIQUE (email);
ALTER TABLE ONLY public.auth_users
    ADD CONSTRAINT auth_users_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.crawl_runs
    ADD CONSTRAINT crawl_runs_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.notices
    ADD CONSTRAINT notices_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.procurement_keys
    ADD CONSTRAINT procurement_keys_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.profile_alembic_version
    ADD CONSTRAINT profile_alembic_version_pkc PRIMARY KEY (version_num);
ALTER TABLE ONLY public.profile_channels
    ADD CONSTRAINT profile_channels_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.profile_companies
    ADD CONSTRAINT profile_companies_orgnr_key UNIQUE (orgnr);
ALTER TABLE ONLY public.profile_companies
    ADD CONSTRAINT profile_companies_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.profile_consents
    ADD CONSTRAINT profile_consents_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.profile_feedback
    ADD CONSTRAINT profile_feedback_pkey PRIMARY KEY (company_id, notice_id);
ALTER TABLE ONLY public.profile_follows
    ADD CONSTRAINT profile_follows_pkey PRIMARY KEY (company_id, tender_id);
ALTER TABLE ONLY public.profile_saved_searches
    ADD CONSTRAINT profile_saved_searches_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.profile_webhook_secrets
    ADD CONSTRAINT profile_webhook_secrets_pkey PRIMARY KEY (company_id);
ALTER TABLE ONLY public.tenders
    ADD CONSTRAINT tenders_pkey PRIMARY KEY (tender_id);
ALTER TABLE ONLY public.alert_outbox
    ADD CONSTRAINT uq_alert_outbox_once UNIQUE (company_id, channel, kind, event_key);
ALTER TABLE ONLY public.notices
    ADD CONSTRAINT uq_notices_notice_version UNIQUE (notice_id, version);
ALTER TABLE ONLY public.profile_channels
    ADD CONSTRAINT uq_profile_channels_address UNIQUE (company_id, kind, address);
CREATE INDEX ix_alert_outbox_company_id ON public.alert_outbox USING btree (company_id);
CREATE INDEX ix_alert_outbox_message_id ON public.alert_outbox USING btree (message_id);
CREATE INDEX ix_alert_outbox_state_due ON public.alert_outbox USING btree (state, next_attempt_at);
CREATE INDEX ix_auth_api_keys_user_id ON public.auth_api_keys USING btree (user_id);
CREATE INDEX ix_auth_sessions_expires_at ON public.auth_sessions USING btree (expires_at);
CREATE INDEX ix_auth_used_tokens_expires_at ON public.auth_used_tokens USING btree (expires_at);
CREATE INDEX ix_crawl_runs_source_started ON public.crawl_runs USING btree (source, started_at);
CREATE INDEX ix_notices_tender_id ON public.notices USING btree (tender_id);
CREATE INDEX ix_procurement_keys_key ON public.procurement_keys USING btree (key);
CREATE INDEX ix_procurement_keys_notice_pk ON public.procurement_keys USING btree (notice_pk);
CREATE INDEX ix_profile_channels_company_id ON public.profile_channels USING btree (company_id);
CREATE INDEX ix_profile_consents_company_id ON public.profile_consents USING btree (company_id);
CREATE INDEX ix_profile_saved_searches_company_id ON public.profile_saved_searches USING btree (company_id);
CREATE INDEX ix_tenders_publication_date ON public.tenders USING btree (publication_date);
CREATE INDEX ix_tenders_submission_deadline ON public.tenders USING btree (submission_deadline);
ALTER TABLE ONLY public.alert_outbox
    ADD CONSTRAINT alert_outbox_company_id_fkey FOREIGN KEY (company_id) REFERENCES public.profile_companies(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.auth_api_keys
    ADD CONSTRAINT auth_api_keys_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.auth_users(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.procurement_keys
    ADD CONSTRAINT procurement_keys_notice_pk_fkey FOREIGN KEY (notice_pk) REFERENCES public.notices(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.profile_channels
    ADD CONSTRAINT profile_channels_company_id_fkey FOREIGN KEY (company_id) REFERENCES public.profile_companies(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.profile_consents
    ADD CONSTRAINT profile_consents_company_id_fkey FOREIGN KEY (company_id) REFERENCES public.profile_companies(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.profile_feedback
    ADD CONSTRAINT profile_feedback_company_id_fkey FOREIGN KEY (company_id) REFERENCES public.profile_companies(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.profile_follows
    ADD CONSTRAINT profile_follows_company_id_fkey FOREIGN KEY (company_id) REFERENCES public.profile_companies(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.profile_saved_searches
    ADD CONSTRAINT profile_saved_searches_company_id_fkey FOREIGN KEY (company_id) REFERENCES public.profile_companies(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.profile_webhook_secrets
    ADD CONSTRAINT profile_webhook_secrets_company_id_fkey FOREIGN KEY (company_id) REFERENCES public.profile_companies(id) ON DELETE CASCADE;
