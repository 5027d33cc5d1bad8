-- litellm-newest.sql: litescope's own DDL for the LiteLLM admin tables at the NEWEST schema level
-- we know of. That is the LiteLLM v1.83.14 level (all migrations up to
-- 20260421135425_add_team_membership_total_spend) PLUS the later, optional columns that newer
-- LiteLLM releases add to these tables (budget_fallbacks, ProxyModelTable.blocked/team_id,
-- ObjectPermissionTable.search_tools/mcp_tool_search_enabled, TeamMembership.self_max_budget,
-- OrganizationTable.logging_exporters, the AuditLog alias columns and their indexes), so the
-- store is tested against columns it does not know.
--
-- Written from the documented column facts (names, types, nullability, defaults, keys, indexes);
-- not LiteLLM's migration SQL. Only the admin tables litescope touches are created.
-- Load into an empty database with: psql -v ON_ERROR_STOP=1 -f litellm-newest.sql
-- Counterpart without the member-scope columns: litellm-pre-member-scope.sql.

BEGIN;

CREATE TABLE "LiteLLM_BudgetTable" (
    "budget_id"             TEXT NOT NULL,
    "max_budget"            DOUBLE PRECISION,
    "soft_budget"           DOUBLE PRECISION,
    "max_parallel_requests" INTEGER,
    "tpm_limit"             BIGINT,
    "rpm_limit"             BIGINT,
    "model_max_budget"      JSONB,
    "budget_duration"       TEXT,
    "budget_reset_at"       TIMESTAMP(3),
    "created_at"            TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by"            TEXT NOT NULL,
    "updated_at"            TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by"            TEXT NOT NULL,
    -- v1.83.14: per-team-member model scope ({} = all team models)
    "allowed_models"        TEXT[] DEFAULT ARRAY[]::TEXT[],
    CONSTRAINT "LiteLLM_BudgetTable_pkey" PRIMARY KEY ("budget_id")
);

CREATE TABLE "LiteLLM_ObjectPermissionTable" (
    "object_permission_id"    TEXT NOT NULL,
    "mcp_servers"             TEXT[] DEFAULT ARRAY[]::TEXT[],
    "vector_stores"           TEXT[] DEFAULT ARRAY[]::TEXT[],
    "mcp_access_groups"       TEXT[] DEFAULT ARRAY[]::TEXT[],
    "mcp_tool_permissions"    JSONB,
    "agents"                  TEXT[] DEFAULT ARRAY[]::TEXT[],
    "agent_access_groups"     TEXT[] DEFAULT ARRAY[]::TEXT[],
    "blocked_tools"           TEXT[] DEFAULT ARRAY[]::TEXT[],
    "models"                  TEXT[] DEFAULT ARRAY[]::TEXT[],
    "mcp_toolsets"            TEXT[] DEFAULT ARRAY[]::TEXT[],
    -- later than v1.83.14
    "search_tools"            TEXT[] DEFAULT ARRAY[]::TEXT[],
    "mcp_tool_search_enabled" BOOLEAN,
    CONSTRAINT "LiteLLM_ObjectPermissionTable_pkey" PRIMARY KEY ("object_permission_id")
);

CREATE TABLE "LiteLLM_OrganizationTable" (
    "organization_id"      TEXT NOT NULL,
    "organization_alias"   TEXT NOT NULL,
    "budget_id"            TEXT NOT NULL,
    "metadata"             JSONB NOT NULL DEFAULT '{}'::JSONB,
    "models"               TEXT[],
    "spend"                DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "model_spend"          JSONB NOT NULL DEFAULT '{}'::JSONB,
    "created_at"           TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by"           TEXT NOT NULL,
    "updated_at"           TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by"           TEXT NOT NULL,
    "object_permission_id" TEXT,
    -- later than v1.83.14
    "logging_exporters"    TEXT[],
    CONSTRAINT "LiteLLM_OrganizationTable_pkey" PRIMARY KEY ("organization_id")
);

CREATE TABLE "LiteLLM_ModelTable" (
    "id"         SERIAL NOT NULL,
    "aliases"    JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT NOT NULL,
    CONSTRAINT "LiteLLM_ModelTable_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "LiteLLM_TeamTable" (
    "team_id"                     TEXT NOT NULL,
    "team_alias"                  TEXT,
    "organization_id"             TEXT,
    "admins"                      TEXT[],
    "members"                     TEXT[],
    "members_with_roles"          JSONB NOT NULL DEFAULT '{}'::JSONB,
    "metadata"                    JSONB NOT NULL DEFAULT '{}'::JSONB,
    "max_budget"                  DOUBLE PRECISION,
    "spend"                       DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "models"                      TEXT[],
    "max_parallel_requests"       INTEGER,
    "tpm_limit"                   BIGINT,
    "rpm_limit"                   BIGINT,
    "budget_duration"             TEXT,
    "budget_reset_at"             TIMESTAMP(3),
    "blocked"                     BOOLEAN NOT NULL DEFAULT false,
    "created_at"                  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at"                  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "model_spend"                 JSONB NOT NULL DEFAULT '{}'::JSONB,
    "model_max_budget"            JSONB NOT NULL DEFAULT '{}'::JSONB,
    "model_id"                    INTEGER,
    "team_member_permissions"     TEXT[] DEFAULT ARRAY[]::TEXT[],
    "object_permission_id"        TEXT,
    "router_settings"             JSONB DEFAULT '{}'::JSONB,
    "policies"                    TEXT[] DEFAULT ARRAY[]::TEXT[],
    "allow_team_guardrail_config" BOOLEAN NOT NULL DEFAULT false,
    "soft_budget"                 DOUBLE PRECISION,
    "access_group_ids"            TEXT[] DEFAULT ARRAY[]::TEXT[],
    -- v1.83.14
    "budget_limits"               JSONB,
    "default_team_member_models"  TEXT[] DEFAULT ARRAY[]::TEXT[],
    CONSTRAINT "LiteLLM_TeamTable_pkey" PRIMARY KEY ("team_id")
);

CREATE TABLE "LiteLLM_TeamMembership" (
    "user_id"         TEXT NOT NULL,
    "team_id"         TEXT NOT NULL,
    "spend"           DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "budget_id"       TEXT,
    -- v1.83.14: lifetime spend, never reset
    "total_spend"     DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    -- later than v1.83.14
    "self_max_budget" DOUBLE PRECISION,
    CONSTRAINT "LiteLLM_TeamMembership_pkey" PRIMARY KEY ("user_id", "team_id")
);

CREATE TABLE "LiteLLM_UserTable" (
    "user_id"                TEXT NOT NULL,
    "user_alias"             TEXT,
    "team_id"                TEXT,
    "sso_user_id"            TEXT,
    "organization_id"        TEXT,
    "password"               TEXT,
    "teams"                  TEXT[] DEFAULT ARRAY[]::TEXT[],
    "user_role"              TEXT,
    "max_budget"             DOUBLE PRECISION,
    "spend"                  DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "user_email"             TEXT,
    "models"                 TEXT[],
    "metadata"               JSONB NOT NULL DEFAULT '{}'::JSONB,
    "max_parallel_requests"  INTEGER,
    "tpm_limit"              BIGINT,
    "rpm_limit"              BIGINT,
    "budget_duration"        TEXT,
    "budget_reset_at"        TIMESTAMP(3),
    "allowed_cache_controls" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "model_spend"            JSONB NOT NULL DEFAULT '{}'::JSONB,
    "model_max_budget"       JSONB NOT NULL DEFAULT '{}'::JSONB,
    "created_at"             TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
    "updated_at"             TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
    "object_permission_id"   TEXT,
    "policies"               TEXT[] DEFAULT ARRAY[]::TEXT[],
    CONSTRAINT "LiteLLM_UserTable_pkey" PRIMARY KEY ("user_id")
);

CREATE TABLE "LiteLLM_OrganizationMembership" (
    "user_id"         TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "user_role"       TEXT,
    "spend"           DOUBLE PRECISION DEFAULT 0.0,
    "budget_id"       TEXT,
    "created_at"      TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
    "updated_at"      TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LiteLLM_OrganizationMembership_pkey" PRIMARY KEY ("user_id", "organization_id")
);

CREATE TABLE "LiteLLM_ProjectTable" (
    "project_id"           TEXT NOT NULL,
    "project_alias"        TEXT,
    "team_id"              TEXT,
    "budget_id"            TEXT,
    "metadata"             JSONB NOT NULL DEFAULT '{}'::JSONB,
    "models"               TEXT[],
    "spend"                DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "model_spend"          JSONB NOT NULL DEFAULT '{}'::JSONB,
    "blocked"              BOOLEAN NOT NULL DEFAULT false,
    "object_permission_id" TEXT,
    "created_at"           TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by"           TEXT NOT NULL,
    "updated_at"           TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by"           TEXT NOT NULL,
    "description"          TEXT,
    "model_rpm_limit"      JSONB NOT NULL DEFAULT '{}'::JSONB,
    "model_tpm_limit"      JSONB NOT NULL DEFAULT '{}'::JSONB,
    CONSTRAINT "LiteLLM_ProjectTable_pkey" PRIMARY KEY ("project_id")
);

CREATE TABLE "LiteLLM_VerificationToken" (
    "token"                  TEXT NOT NULL,
    "key_name"               TEXT,
    "key_alias"              TEXT,
    "soft_budget_cooldown"   BOOLEAN NOT NULL DEFAULT false,
    "spend"                  DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "expires"                TIMESTAMP(3),
    "models"                 TEXT[],
    "aliases"                JSONB NOT NULL DEFAULT '{}'::JSONB,
    "config"                 JSONB NOT NULL DEFAULT '{}'::JSONB,
    "user_id"                TEXT,
    "team_id"                TEXT,
    "permissions"            JSONB NOT NULL DEFAULT '{}'::JSONB,
    "max_parallel_requests"  INTEGER,
    "metadata"               JSONB NOT NULL DEFAULT '{}'::JSONB,
    "blocked"                BOOLEAN,
    "tpm_limit"              BIGINT,
    "rpm_limit"              BIGINT,
    "max_budget"             DOUBLE PRECISION,
    "budget_duration"        TEXT,
    "budget_reset_at"        TIMESTAMP(3),
    "allowed_cache_controls" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "model_spend"            JSONB NOT NULL DEFAULT '{}'::JSONB,
    "model_max_budget"       JSONB NOT NULL DEFAULT '{}'::JSONB,
    "budget_id"              TEXT,
    "organization_id"        TEXT,
    "created_at"             TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
    "created_by"             TEXT,
    "updated_at"             TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
    "updated_by"             TEXT,
    "allowed_routes"         TEXT[] DEFAULT ARRAY[]::TEXT[],
    "object_permission_id"   TEXT,
    "auto_rotate"            BOOLEAN DEFAULT false,
    "key_rotation_at"        TIMESTAMP(3),
    "last_rotation_at"       TIMESTAMP(3),
    "rotation_count"         INTEGER DEFAULT 0,
    "rotation_interval"      TEXT,
    "project_id"             TEXT,
    "router_settings"        JSONB DEFAULT '{}'::JSONB,
    "policies"               TEXT[] DEFAULT ARRAY[]::TEXT[],
    "access_group_ids"       TEXT[] DEFAULT ARRAY[]::TEXT[],
    "last_active"            TIMESTAMP(3),
    "agent_id"               TEXT,
    -- v1.83.14
    "budget_limits"          JSONB,
    -- later than v1.83.14 (~v1.92): {model: [fallback models]}
    "budget_fallbacks"       JSONB,
    CONSTRAINT "LiteLLM_VerificationToken_pkey" PRIMARY KEY ("token")
);

CREATE TABLE "LiteLLM_ProxyModelTable" (
    "model_id"       TEXT NOT NULL,
    "model_name"     TEXT NOT NULL,
    "litellm_params" JSONB NOT NULL,
    "model_info"     JSONB,
    "created_at"     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by"     TEXT NOT NULL,
    "updated_at"     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by"     TEXT NOT NULL,
    -- later than v1.83.14
    "blocked"        BOOLEAN NOT NULL DEFAULT false,
    "team_id"        TEXT,
    CONSTRAINT "LiteLLM_ProxyModelTable_pkey" PRIMARY KEY ("model_id")
);

CREATE TABLE "LiteLLM_AccessGroupTable" (
    "access_group_id"       TEXT NOT NULL,
    "access_group_name"     TEXT NOT NULL,
    "description"           TEXT,
    "access_mcp_server_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "access_agent_ids"      TEXT[] DEFAULT ARRAY[]::TEXT[],
    "assigned_team_ids"     TEXT[] DEFAULT ARRAY[]::TEXT[],
    "assigned_key_ids"      TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at"            TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by"            TEXT,
    "updated_at"            TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by"            TEXT,
    "access_model_names"    TEXT[] DEFAULT ARRAY[]::TEXT[],
    CONSTRAINT "LiteLLM_AccessGroupTable_pkey" PRIMARY KEY ("access_group_id")
);

CREATE TABLE "LiteLLM_AuditLog" (
    "id"                    TEXT NOT NULL,
    "updated_at"            TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changed_by"            TEXT NOT NULL DEFAULT '',
    "changed_by_api_key"    TEXT NOT NULL DEFAULT '',
    "action"                TEXT NOT NULL,
    "table_name"            TEXT NOT NULL,
    "object_id"             TEXT NOT NULL,
    "before_value"          JSONB,
    "updated_values"        JSONB,
    -- later than v1.83.14 (~2026-08), stamped at write time
    "object_alias"          TEXT,
    "object_team_id"        TEXT,
    "object_team_alias"     TEXT,
    "changed_by_user_email" TEXT,
    "changed_by_key_alias"  TEXT,
    CONSTRAINT "LiteLLM_AuditLog_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "LiteLLM_Config" (
    "param_name"  TEXT NOT NULL,
    "param_value" JSONB,
    CONSTRAINT "LiteLLM_Config_pkey" PRIMARY KEY ("param_name")
);

CREATE TABLE "_prisma_migrations" (
    "id"                  VARCHAR(36) NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "_prisma_migrations_pkey" PRIMARY KEY ("id")
);

-- Indexes ----------------------------------------------------------------------------------------

CREATE UNIQUE INDEX "LiteLLM_TeamTable_model_id_key" ON "LiteLLM_TeamTable" ("model_id");
CREATE INDEX "LiteLLM_TeamTable_created_at_idx" ON "LiteLLM_TeamTable" ("created_at");
CREATE INDEX "LiteLLM_TeamTable_organization_id_idx" ON "LiteLLM_TeamTable" ("organization_id");
CREATE INDEX "LiteLLM_TeamTable_team_alias_idx" ON "LiteLLM_TeamTable" ("team_alias");
CREATE UNIQUE INDEX "LiteLLM_UserTable_sso_user_id_key" ON "LiteLLM_UserTable" ("sso_user_id");
CREATE INDEX "LiteLLM_UserTable_user_email_lower_idx" ON "LiteLLM_UserTable" (lower("user_email"));
CREATE UNIQUE INDEX "LiteLLM_OrganizationMembership_user_id_organization_id_key"
    ON "LiteLLM_OrganizationMembership" ("user_id", "organization_id");
CREATE INDEX "LiteLLM_VerificationToken_budget_reset_at_expires_idx"
    ON "LiteLLM_VerificationToken" ("budget_reset_at", "expires");
CREATE INDEX "LiteLLM_VerificationToken_team_id_idx" ON "LiteLLM_VerificationToken" ("team_id");
CREATE INDEX "LiteLLM_VerificationToken_user_id_team_id_idx"
    ON "LiteLLM_VerificationToken" ("user_id", "team_id");
CREATE UNIQUE INDEX "LiteLLM_AccessGroupTable_access_group_name_key"
    ON "LiteLLM_AccessGroupTable" ("access_group_name");
-- later than v1.83.14
CREATE INDEX "LiteLLM_ProxyModelTable_team_id_idx" ON "LiteLLM_ProxyModelTable" ("team_id");
CREATE INDEX "LiteLLM_AuditLog_table_name_object_id_idx"
    ON "LiteLLM_AuditLog" ("table_name", "object_id");
CREATE INDEX "LiteLLM_AuditLog_object_team_id_idx" ON "LiteLLM_AuditLog" ("object_team_id");
CREATE INDEX "LiteLLM_AuditLog_updated_at_idx" ON "LiteLLM_AuditLog" ("updated_at");

-- Foreign keys -----------------------------------------------------------------------------------

ALTER TABLE "LiteLLM_TeamTable"
    ADD CONSTRAINT "LiteLLM_TeamTable_model_id_fkey" FOREIGN KEY ("model_id")
        REFERENCES "LiteLLM_ModelTable" ("id") ON UPDATE CASCADE ON DELETE SET NULL,
    ADD CONSTRAINT "LiteLLM_TeamTable_object_permission_id_fkey" FOREIGN KEY ("object_permission_id")
        REFERENCES "LiteLLM_ObjectPermissionTable" ("object_permission_id")
        ON UPDATE CASCADE ON DELETE SET NULL,
    ADD CONSTRAINT "LiteLLM_TeamTable_organization_id_fkey" FOREIGN KEY ("organization_id")
        REFERENCES "LiteLLM_OrganizationTable" ("organization_id")
        ON UPDATE CASCADE ON DELETE SET NULL;

ALTER TABLE "LiteLLM_TeamMembership"
    ADD CONSTRAINT "LiteLLM_TeamMembership_budget_id_fkey" FOREIGN KEY ("budget_id")
        REFERENCES "LiteLLM_BudgetTable" ("budget_id") ON UPDATE CASCADE ON DELETE SET NULL;

ALTER TABLE "LiteLLM_UserTable"
    ADD CONSTRAINT "LiteLLM_UserTable_object_permission_id_fkey" FOREIGN KEY ("object_permission_id")
        REFERENCES "LiteLLM_ObjectPermissionTable" ("object_permission_id")
        ON UPDATE CASCADE ON DELETE SET NULL,
    ADD CONSTRAINT "LiteLLM_UserTable_organization_id_fkey" FOREIGN KEY ("organization_id")
        REFERENCES "LiteLLM_OrganizationTable" ("organization_id")
        ON UPDATE CASCADE ON DELETE SET NULL;

ALTER TABLE "LiteLLM_OrganizationTable"
    ADD CONSTRAINT "LiteLLM_OrganizationTable_budget_id_fkey" FOREIGN KEY ("budget_id")
        REFERENCES "LiteLLM_BudgetTable" ("budget_id") ON UPDATE CASCADE ON DELETE RESTRICT,
    ADD CONSTRAINT "LiteLLM_OrganizationTable_object_permission_id_fkey"
        FOREIGN KEY ("object_permission_id")
        REFERENCES "LiteLLM_ObjectPermissionTable" ("object_permission_id")
        ON UPDATE CASCADE ON DELETE SET NULL;

ALTER TABLE "LiteLLM_OrganizationMembership"
    ADD CONSTRAINT "LiteLLM_OrganizationMembership_budget_id_fkey" FOREIGN KEY ("budget_id")
        REFERENCES "LiteLLM_BudgetTable" ("budget_id") ON UPDATE CASCADE ON DELETE SET NULL,
    ADD CONSTRAINT "LiteLLM_OrganizationMembership_organization_id_fkey"
        FOREIGN KEY ("organization_id")
        REFERENCES "LiteLLM_OrganizationTable" ("organization_id")
        ON UPDATE CASCADE ON DELETE RESTRICT,
    ADD CONSTRAINT "LiteLLM_OrganizationMembership_user_id_fkey" FOREIGN KEY ("user_id")
        REFERENCES "LiteLLM_UserTable" ("user_id") ON UPDATE CASCADE ON DELETE RESTRICT;

ALTER TABLE "LiteLLM_VerificationToken"
    ADD CONSTRAINT "LiteLLM_VerificationToken_budget_id_fkey" FOREIGN KEY ("budget_id")
        REFERENCES "LiteLLM_BudgetTable" ("budget_id") ON UPDATE CASCADE ON DELETE SET NULL,
    ADD CONSTRAINT "LiteLLM_VerificationToken_object_permission_id_fkey"
        FOREIGN KEY ("object_permission_id")
        REFERENCES "LiteLLM_ObjectPermissionTable" ("object_permission_id")
        ON UPDATE CASCADE ON DELETE SET NULL,
    ADD CONSTRAINT "LiteLLM_VerificationToken_organization_id_fkey" FOREIGN KEY ("organization_id")
        REFERENCES "LiteLLM_OrganizationTable" ("organization_id")
        ON UPDATE CASCADE ON DELETE SET NULL,
    ADD CONSTRAINT "LiteLLM_VerificationToken_project_id_fkey" FOREIGN KEY ("project_id")
        REFERENCES "LiteLLM_ProjectTable" ("project_id") ON UPDATE CASCADE ON DELETE SET NULL;

ALTER TABLE "LiteLLM_ProjectTable"
    ADD CONSTRAINT "LiteLLM_ProjectTable_budget_id_fkey" FOREIGN KEY ("budget_id")
        REFERENCES "LiteLLM_BudgetTable" ("budget_id") ON UPDATE CASCADE ON DELETE SET NULL,
    ADD CONSTRAINT "LiteLLM_ProjectTable_object_permission_id_fkey"
        FOREIGN KEY ("object_permission_id")
        REFERENCES "LiteLLM_ObjectPermissionTable" ("object_permission_id")
        ON UPDATE CASCADE ON DELETE SET NULL,
    ADD CONSTRAINT "LiteLLM_ProjectTable_team_id_fkey" FOREIGN KEY ("team_id")
        REFERENCES "LiteLLM_TeamTable" ("team_id") ON UPDATE CASCADE ON DELETE SET NULL;

-- Migration ledger -------------------------------------------------------------------------------
-- One finished row per applied migration folder that touches these tables (plus the
-- resolved-idempotent 20251211100212_schema_sync, whose row carries logs, as customer DBs do),
-- then a few later upstream folders this level includes. Checksums are sha256 of the name (any
-- 64-hex value will do); ids are random UUIDs.

INSERT INTO "_prisma_migrations"
    ("id", "checksum", "finished_at", "migration_name", "logs", "started_at", "applied_steps_count")
SELECT gen_random_uuid()::text,
       encode(sha256(convert_to(m.name, 'UTF8')), 'hex'),
       m.applied + interval '150 milliseconds',
       m.name,
       m.logs,
       m.applied,
       1
FROM (VALUES
    ('20250326162113_baseline', TIMESTAMPTZ '2025-04-02 10:00:00+00', NULL::text),
    ('20250412081753_team_member_permissions', '2025-04-20 10:00:00+00', NULL),
    ('20250416185146_add_allowed_routes_litellm_verification_token', '2025-04-20 10:00:01+00', NULL),
    ('20250507184818_add_mcp_key_team_permission_mgmt', '2025-05-12 10:00:00+00', NULL),
    ('20250528185438_add_vector_stores_to_object_permissions', '2025-06-01 10:00:00+00', NULL),
    ('20250603210143_cascade_budget_changes', '2025-06-10 10:00:00+00', NULL),
    ('20250625145206_cascade_budget_and_loosen_managed_file_json', '2025-06-30 10:00:00+00', NULL),
    ('20250711220620_add_stdio_mcp', '2025-07-15 10:00:00+00', NULL),
    ('20250926194702_unnamed_migration', '2025-10-01 10:00:00+00', NULL),
    ('20251006143948_add_mcp_tool_permissions', '2025-10-10 10:00:00+00', NULL),
    ('20251011084309_add_tag_table', '2025-10-15 10:00:00+00', NULL),
    ('20251113000000_add_project_table', '2025-11-20 10:00:00+00', NULL),
    ('20251113000001_add_project_fields', '2025-11-20 10:00:01+00', NULL),
    ('20251204142718_add_agent_permissions', '2025-12-08 10:00:00+00', NULL),
    ('20251211100212_schema_sync', '2025-12-15 10:00:00+00',
     'Error: P3018 ... column "agent_id" of relation "LiteLLM_SpendLogs" already exists'
     || ' (resolved as applied)'),
    ('20260107111013_add_router_settings_to_keys_teams', '2026-01-12 10:00:00+00', NULL),
    ('20260108_add_user_email_lower_idx', '2026-01-12 10:00:01+00', NULL),
    ('20260123131407_add_policy_tables_and_policies_field', '2026-01-26 10:00:00+00', NULL),
    ('20260205091235_allow_team_guardrail_config', '2026-02-09 10:00:00+00', NULL),
    ('20260205144610_add_soft_budget_to_team_table', '2026-02-09 10:00:01+00', NULL),
    ('20260209085821_add_verificationtoken_indexes', '2026-02-09 10:00:02+00', NULL),
    ('20260212143306_add_access_group_table', '2026-02-16 10:00:00+00', NULL),
    ('20260213170952_access_group_change_to_model_name', '2026-02-16 10:00:01+00', NULL),
    ('20260214185341_object_permissions_for_end_users', '2026-02-16 10:00:02+00', NULL),
    ('20260218231534_add_last_active_to_key_table', '2026-02-23 10:00:00+00', NULL),
    ('20260221000000_ensure_project_id_verification_token', '2026-02-23 10:00:01+00', NULL),
    ('20260224203854_add_agent_object_permissions_table', '2026-03-02 10:00:00+00', NULL),
    ('20260226000000_add_blocked_tools_to_object_permission', '2026-03-02 10:00:01+00', NULL),
    ('20260306233848_schema_sync', '2026-03-09 10:00:00+00', NULL),
    ('20260312124619_schema_sync', '2026-03-16 10:00:00+00', NULL),
    ('20260318140652_add_index_to_team_table', '2026-03-23 10:00:00+00', NULL),
    ('20260321000000_add_mcp_toolsets', '2026-03-23 10:00:01+00', NULL),
    ('20260401000000_add_budget_limits', '2026-04-27 10:00:00+00', NULL),
    ('20260401000000_add_team_member_model_scope', '2026-04-27 10:00:01+00', NULL),
    ('20260421135425_add_team_membership_total_spend', '2026-04-27 10:00:02+00', NULL),
    -- later upstream folders (verified names; their changes are outside these tables)
    ('20260502182927_convert_daily_spend_date_to_date_type', '2026-05-11 10:00:00+00', NULL),
    ('20260915010000_add_autorouter_baseline_state', '2026-09-21 10:00:00+00', NULL),
    ('20261001100000_rename_lens', '2026-10-05 10:00:00+00', NULL),
    ('20261009120000_proxy_worker_expiry', '2026-10-12 10:00:00+00', NULL)
) AS m(name, applied, logs);

COMMIT;
