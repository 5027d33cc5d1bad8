-- litellm-seed.sql: a small, realistic LiteLLM admin dataset for litescope's store tests.
-- Valid on BOTH schema levels (litellm-newest.sql and litellm-pre-member-scope.sql): it only
-- names columns the two have in common, and leaves every other column at its default. Load the
-- schema first, then this file; on the newest level litellm-seed-scopes.sql adds the member scopes.
--
-- Contents (ids are what the tests refer to):
--   Orgs   org-acme-research "Acme Research"  (budget budget-org-acme-research)
--          6f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f "Acme Platform" (budget budget-org-acme-platform)
--   Teams  team-ml-research "ML Research"   org-acme-research; aliases row "LiteLLM_ModelTable".id 1;
--                                           object permission objperm-ml-research; project proj-ml-eval
--          e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55 "Search Platform"  org Acme Platform;
--                                           metadata.team_member_budget_id = budget-search-member-default
--                                           (the team's default member budget); owns a BYOK model
--          team-support-bots "Support Bots"  access_group_ids {ag-support-models}
--          team-legacy-sandbox "Legacy Sandbox"  blocked; members_with_roles is '{}' (the DB
--                                           default, an object); admins/members/models NULL
--   Users  default_user_id (proxy_admin), alice 3f9c2a7e-…-0d2e4b7c1a11, bob 8e41d0b2-…-1a9d5c3f7e22,
--          carol c7d2e9f4-…-6b0f2a4e9c33 (mixed-case email), dave@example.com and erin@example.org
--          (email as user_id), svc-nightly-batch (no email), grace 0b7a4c1e-…-7f5d1a2b9e44
--          (proxy_admin_viewer, org admin, teams NULL)
--   Team members (members_with_roles = UserTable.teams; membership row -> budget row):
--     ML Research:     alice admin (NO row) | bob user -> budget-ml-bob (private)
--                      | dave@example.com user -> budget-ml-dave (private)
--     Search Platform: carol admin (NO row) | alice user (NO row) | bob user -> budget-search-bob
--                      (private) | erin@example.org user -> budget-search-member-default (SHARED:
--                      the team's default member budget row itself) | svc-nightly-batch user
--                      (user_email null) -> budget-search-member-default (SHARED, same row)
--     Support Bots:    dave@example.com admin -> row with budget_id NULL (its budget was deleted)
--                      | svc-nightly-batch user (NO row)
--     Legacy Sandbox:  nobody
--   Keys: token = sha256 hex of the raw key below; key_name = 'sk-...' + last 4 characters.
--     sk-seed-ml-research-ci-k7Qa    team ML Research, user alice, models {} (inherit), project
--                                    proj-ml-eval, org org-acme-research
--     sk-seed-ml-bob-notebook-Zp3m   team ML Research, user bob, models {gpt-4o,smart},
--                                    aliases {"my-fast":"gpt-4o-mini"}
--     sk-seed-search-prod            team Search Platform, user_id NULL (service key)
--     sk-seed-search-erin-q8Xc       team Search Platform, user erin, models NULL, blocked NULL
--     sk-seed-support-bot-Lm2v       team Support Bots, user svc-nightly-batch,
--                                    access_group_ids {ag-support-models}
--     sk-seed-legacy-carol-Hh9e      team Legacy Sandbox (blocked team; the key itself is not),
--                                    user carol (no longer a member)
--     sk-seed-personal-alice-Wd4r    personal (team_id NULL), user alice
--     sk-seed-personal-dave-Tn6b     personal, user dave, BLOCKED, expired, key_alias NULL
--   Audit: changed_by_api_key of the default_user_id rows = sha256('sk-seed-master-key-0000');
--     one row's updated_values is a double-encoded JSON string (jsonb_typeof = 'string').

BEGIN;

-- Budgets ----------------------------------------------------------------------------------------
INSERT INTO "LiteLLM_BudgetTable"
    ("budget_id", "max_budget", "soft_budget", "max_parallel_requests", "tpm_limit", "rpm_limit",
     "model_max_budget", "budget_duration", "budget_reset_at", "created_at", "created_by",
     "updated_at", "updated_by")
VALUES
    ('budget-org-acme-research', 5000.0, 4000.0, NULL, NULL, NULL, NULL, '30d',
     '2026-05-01 00:00:00', '2025-09-01 08:00:00', 'default_user_id',
     '2025-09-01 08:00:00', 'default_user_id'),
    ('budget-org-acme-platform', NULL, NULL, NULL, 2000000, 5000, NULL, NULL,
     NULL, '2025-10-14 09:30:00', 'default_user_id',
     '2025-10-14 09:30:00', 'default_user_id'),
    -- the Search Platform team's default member budget (metadata.team_member_budget_id)
    ('budget-search-member-default', 25.0, NULL, NULL, NULL, 60, NULL, '7d',
     '2026-04-30 00:00:00', '2025-10-14 09:35:00', 'default_user_id',
     '2025-10-14 09:35:00', 'default_user_id'),
    ('budget-ml-bob', 50.0, NULL, NULL, NULL, NULL,
     '{"gpt-4o": {"budget_limit": 20.0, "time_period": "1d"}}', '1d',
     '2026-04-28 00:00:00', '2025-11-03 10:12:00', '3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11',
     '2026-01-20 16:40:00', '3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11'),
    ('budget-ml-dave', NULL, NULL, 4, 10000, NULL, NULL, NULL,
     NULL, '2025-11-03 10:15:00', '3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11',
     '2025-11-03 10:15:00', '3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11'),
    ('budget-search-bob', 100.0, 80.0, NULL, NULL, NULL, NULL, '30d',
     '2026-05-01 00:00:00', '2026-02-02 13:00:00', 'c7d2e9f4-1a8b-4e36-8d5c-6b0f2a4e9c33',
     '2026-02-02 13:00:00', 'c7d2e9f4-1a8b-4e36-8d5c-6b0f2a4e9c33'),
    ('budget-project-ml-eval', 200.0, NULL, NULL, NULL, NULL, NULL, '30d',
     '2026-05-01 00:00:00', '2026-01-08 11:00:00', 'default_user_id',
     '2026-01-08 11:00:00', 'default_user_id');

-- Object permissions -----------------------------------------------------------------------------
INSERT INTO "LiteLLM_ObjectPermissionTable"
    ("object_permission_id", "mcp_servers", "vector_stores", "mcp_access_groups")
VALUES
    ('objperm-ml-research', ARRAY['mcp-github', 'mcp-jira'], ARRAY['vs-papers'], ARRAY[]::text[]);

-- Organizations ----------------------------------------------------------------------------------
INSERT INTO "LiteLLM_OrganizationTable"
    ("organization_id", "organization_alias", "budget_id", "metadata", "models", "spend",
     "model_spend", "created_at", "created_by", "updated_at", "updated_by")
VALUES
    ('org-acme-research', 'Acme Research', 'budget-org-acme-research',
     '{"cost_center": "R-1042"}',
     ARRAY['gpt-4o', 'gpt-4o-mini', 'claude-3-5-sonnet', 'text-embedding-3-small', 'beta-models'],
     171.45, '{"gpt-4o": 142.2, "claude-3-5-sonnet": 29.25}',
     '2025-09-01 08:00:00', 'default_user_id', '2026-03-02 09:00:00', 'default_user_id'),
    ('6f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f', 'Acme Platform', 'budget-org-acme-platform',
     '{}', NULL, 48.1, '{"gpt-4o-mini": 40.6, "text-embedding-3-small": 7.5}',
     '2025-10-14 09:30:00', 'default_user_id', '2025-10-14 09:30:00', 'default_user_id');

-- Team model aliases (one row per team; SERIAL id given explicitly, so the sequence restarts at 2)
INSERT INTO "LiteLLM_ModelTable" ("id", "aliases", "created_at", "created_by", "updated_at",
                                  "updated_by")
VALUES
    (1, '{"fast": "gpt-4o-mini", "smart": "gpt-4o", "claude": "claude-3-5-sonnet"}',
     '2025-11-03 10:00:00', 'default_user_id', '2026-01-20 16:30:00',
     '3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11');
ALTER SEQUENCE "LiteLLM_ModelTable_id_seq" RESTART WITH 2;

-- Teams ------------------------------------------------------------------------------------------
INSERT INTO "LiteLLM_TeamTable"
    ("team_id", "team_alias", "organization_id", "admins", "members", "members_with_roles",
     "metadata", "max_budget", "spend", "models", "max_parallel_requests", "tpm_limit",
     "rpm_limit", "budget_duration", "budget_reset_at", "blocked", "created_at", "updated_at",
     "model_spend", "model_max_budget", "model_id", "team_member_permissions",
     "object_permission_id", "access_group_ids")
VALUES
    ('team-ml-research', 'ML Research', 'org-acme-research', ARRAY[]::text[], ARRAY[]::text[],
     '[{"role": "admin", "user_id": "3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11", "user_email": "alice@example.com"},
       {"role": "user", "user_id": "8e41d0b2-7c3a-4f59-b6e2-1a9d5c3f7e22", "user_email": "bob@example.com"},
       {"role": "user", "user_id": "dave@example.com", "user_email": "dave@example.com"}]',
     '{"tags": ["research"], "guardrails": ["pii-mask"], "model_rpm_limit": {"gpt-4o": 120}}',
     500.0, 123.45, ARRAY['gpt-4o', 'claude-3-5-sonnet', 'beta-models'], NULL, 500000,
     1000, '30d', '2026-05-01 00:00:00', false, '2025-11-03 10:00:00', '2026-04-10 15:20:00',
     '{"gpt-4o": 94.2, "claude-3-5-sonnet": 29.25}', '{}', 1,
     ARRAY['/key/generate', '/key/update'], 'objperm-ml-research', ARRAY[]::text[]),
    ('e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55', 'Search Platform',
     '6f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f', ARRAY[]::text[], ARRAY[]::text[],
     '[{"role": "admin", "user_id": "c7d2e9f4-1a8b-4e36-8d5c-6b0f2a4e9c33", "user_email": "Carol.Nguyen@Example.com"},
       {"role": "user", "user_id": "3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11", "user_email": "alice@example.com"},
       {"role": "user", "user_id": "8e41d0b2-7c3a-4f59-b6e2-1a9d5c3f7e22", "user_email": "bob@example.com"},
       {"role": "user", "user_id": "erin@example.org", "user_email": "erin@example.org"},
       {"role": "user", "user_id": "svc-nightly-batch", "user_email": null}]',
     '{"tags": ["search"], "team_member_budget_id": "budget-search-member-default", "team_member_key_duration": "30d"}',
     300.0, 48.1,
     ARRAY['gpt-4o-mini', 'text-embedding-3-small', 'production-models', 'search-rerank'],
     NULL, NULL, NULL, '30d', '2026-05-01 00:00:00', false, '2025-10-14 09:35:00',
     '2026-03-05 14:02:11', '{"gpt-4o-mini": 40.6, "text-embedding-3-small": 7.5}', '{}', NULL,
     ARRAY[]::text[], NULL, ARRAY[]::text[]),
    ('team-support-bots', 'Support Bots', NULL, ARRAY[]::text[], ARRAY[]::text[],
     '[{"role": "admin", "user_id": "dave@example.com", "user_email": "dave@example.com"},
       {"role": "user", "user_id": "svc-nightly-batch", "user_email": null}]',
     '{}', NULL, 6.3, ARRAY['gpt-4o-mini'], 8, NULL, 600, NULL, NULL, false,
     '2026-02-20 12:00:00', '2026-02-20 12:00:00', '{"gpt-4o-mini": 6.3}', '{}', NULL,
     ARRAY[]::text[], NULL, ARRAY['ag-support-models']),
    ('team-legacy-sandbox', 'Legacy Sandbox', NULL, NULL, NULL, '{}',
     '{"note": "frozen in December 2025"}', 10.0, 9.99, NULL, NULL, NULL, NULL, NULL, NULL,
     true, '2024-06-11 07:45:00', '2025-12-19 17:00:00', '{}', '{}', NULL, ARRAY[]::text[], NULL,
     ARRAY[]::text[]);

-- Users ------------------------------------------------------------------------------------------
INSERT INTO "LiteLLM_UserTable"
    ("user_id", "user_alias", "sso_user_id", "teams", "user_role", "max_budget", "spend",
     "user_email", "models", "metadata", "budget_duration", "created_at", "updated_at")
VALUES
    ('default_user_id', NULL, NULL, ARRAY[]::text[], 'proxy_admin', NULL, 0.0, NULL,
     ARRAY[]::text[], '{}', NULL, '2024-06-01 00:00:00', '2024-06-01 00:00:00'),
    ('3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11', 'Alice Park', NULL,
     ARRAY['team-ml-research', 'e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55'], 'internal_user', 100.0,
     57.3, 'alice@example.com', ARRAY[]::text[], '{}', '30d', '2025-09-02 09:00:00',
     '2026-03-01 10:00:00'),
    ('8e41d0b2-7c3a-4f59-b6e2-1a9d5c3f7e22', 'Bob Martins', NULL,
     ARRAY['team-ml-research', 'e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55'], 'internal_user', NULL,
     13.6, 'bob@example.com', NULL, '{}', NULL, '2025-09-02 09:05:00', '2025-09-02 09:05:00'),
    ('c7d2e9f4-1a8b-4e36-8d5c-6b0f2a4e9c33', 'Carol Nguyen', NULL,
     ARRAY['e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55'], 'internal_user', NULL, 9.99,
     'Carol.Nguyen@Example.com', ARRAY[]::text[], '{}', NULL, '2024-06-11 07:40:00',
     '2025-12-19 17:00:00'),
    ('dave@example.com', NULL, NULL, ARRAY['team-ml-research', 'team-support-bots'],
     'internal_user', NULL, 0.4, 'dave@example.com', ARRAY['no-default-models'], '{}', NULL,
     '2025-11-03 10:14:00', '2025-11-03 10:14:00'),
    ('erin@example.org', 'Erin', NULL, ARRAY['e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55'],
     'internal_user', NULL, 3.2, 'erin@example.org', ARRAY[]::text[], '{}', NULL,
     '2026-01-15 08:00:00', '2026-01-15 08:00:00'),
    ('svc-nightly-batch', 'Nightly batch', NULL,
     ARRAY['e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55', 'team-support-bots'], 'internal_user', NULL,
     15.05, NULL, ARRAY[]::text[], '{"service_account": true}', NULL, '2026-01-15 08:30:00',
     '2026-02-20 12:00:00'),
    ('0b7a4c1e-9d2f-4a6b-8c3e-7f5d1a2b9e44', 'Grace Hopper', 'okta|00u1grace', NULL,
     'proxy_admin_viewer', NULL, 0.0, 'grace@example.com', NULL, '{}', NULL,
     '2025-09-01 08:10:00', '2025-09-01 08:10:00');

INSERT INTO "LiteLLM_OrganizationMembership"
    ("user_id", "organization_id", "user_role", "spend", "budget_id", "created_at", "updated_at")
VALUES
    ('0b7a4c1e-9d2f-4a6b-8c3e-7f5d1a2b9e44', 'org-acme-research', 'org_admin', 0.0, NULL,
     '2025-09-01 08:10:00', '2025-09-01 08:10:00'),
    ('3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11', 'org-acme-research', 'internal_user', 57.3, NULL,
     '2025-09-02 09:00:00', '2025-09-02 09:00:00'),
    ('dave@example.com', 'org-acme-research', 'internal_user', 0.4, NULL,
     '2025-11-03 10:14:00', '2025-11-03 10:14:00'),
    ('c7d2e9f4-1a8b-4e36-8d5c-6b0f2a4e9c33', '6f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f', 'org_admin',
     9.99, NULL, '2025-10-14 09:30:00', '2025-10-14 09:30:00'),
    ('erin@example.org', '6f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f', 'internal_user', 3.2, NULL,
     '2026-01-15 08:00:00', '2026-01-15 08:00:00'),
    ('8e41d0b2-7c3a-4f59-b6e2-1a9d5c3f7e22', '6f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f',
     'internal_user', 1.1, NULL, '2026-02-02 13:00:00', '2026-02-02 13:00:00');

-- Team memberships (only members with a budget have a row) ---------------------------------------
INSERT INTO "LiteLLM_TeamMembership" ("user_id", "team_id", "spend", "budget_id")
VALUES
    ('8e41d0b2-7c3a-4f59-b6e2-1a9d5c3f7e22', 'team-ml-research', 12.5, 'budget-ml-bob'),
    ('dave@example.com', 'team-ml-research', 0.0, 'budget-ml-dave'),
    ('8e41d0b2-7c3a-4f59-b6e2-1a9d5c3f7e22', 'e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55', 1.1,
     'budget-search-bob'),
    -- two members pointing at the team's default member budget row itself (older rows)
    ('erin@example.org', 'e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55', 3.2,
     'budget-search-member-default'),
    ('svc-nightly-batch', 'e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55', 8.75,
     'budget-search-member-default'),
    -- a row whose budget row was deleted (ON DELETE SET NULL)
    ('dave@example.com', 'team-support-bots', 0.4, NULL);

-- Projects ---------------------------------------------------------------------------------------
INSERT INTO "LiteLLM_ProjectTable"
    ("project_id", "project_alias", "team_id", "budget_id", "metadata", "models", "spend",
     "created_at", "created_by", "updated_at", "updated_by", "description")
VALUES
    ('proj-ml-eval', 'ML Eval Harness', 'team-ml-research', 'budget-project-ml-eval',
     '{"owner": "alice@example.com"}', ARRAY['gpt-4o', 'claude-3-5-sonnet'], 42.0,
     '2026-01-08 11:00:00', 'default_user_id', '2026-01-08 11:00:00', 'default_user_id',
     'Nightly evaluation runs of the research models');

-- Virtual keys -----------------------------------------------------------------------------------
INSERT INTO "LiteLLM_VerificationToken"
    ("token", "key_name", "key_alias", "spend", "expires", "models", "aliases", "user_id",
     "team_id", "metadata", "blocked", "tpm_limit", "rpm_limit", "max_budget", "budget_duration",
     "organization_id", "created_at", "created_by", "updated_at", "updated_by", "project_id",
     "access_group_ids", "last_active")
VALUES
    -- raw key: sk-seed-ml-research-ci-k7Qa
    ('44465249d9c3b359d4f6ac391e78673db0ae29a08fd55ba5b103d67f0d6c118c', 'sk-...k7Qa',
     'ml-research-ci', 42.0, NULL, ARRAY[]::text[], '{}', '3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11',
     'team-ml-research', '{"tags": ["ci"]}', false, NULL, NULL, 100.0, '30d',
     'org-acme-research', '2026-01-08 11:05:00', '3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11',
     '2026-01-08 11:05:00', '3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11', 'proj-ml-eval',
     ARRAY[]::text[], '2026-04-26 23:10:00'),
    -- raw key: sk-seed-ml-bob-notebook-Zp3m
    ('a8c7025f2991964ecbccb20844098bb7a4ba9dd3c6776ea6f86833207aa1c611', 'sk-...Zp3m',
     'bob-notebook', 12.5, '2026-12-31 23:59:59', ARRAY['gpt-4o', 'smart'],
     '{"my-fast": "gpt-4o-mini"}', '8e41d0b2-7c3a-4f59-b6e2-1a9d5c3f7e22', 'team-ml-research',
     '{}', false, NULL, 30, NULL, NULL, NULL, '2025-11-04 09:00:00',
     '8e41d0b2-7c3a-4f59-b6e2-1a9d5c3f7e22', '2025-11-04 09:00:00',
     '8e41d0b2-7c3a-4f59-b6e2-1a9d5c3f7e22', NULL, ARRAY[]::text[], '2026-04-25 18:00:00'),
    -- raw key: sk-seed-search-prod
    ('98892082461ed448c607e6c4f249ea88b8e364e2f5cd9d27e40ed093f8a24d1e', 'sk-...prod',
     'search-prod', 31.05, NULL, ARRAY['gpt-4o-mini', 'text-embedding-3-small'], '{}', NULL,
     'e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55', '{"tags": ["prod"], "environment": "production"}',
     false, 100000, NULL, NULL, NULL, NULL, '2025-10-14 10:00:00',
     'c7d2e9f4-1a8b-4e36-8d5c-6b0f2a4e9c33', '2025-10-14 10:00:00',
     'c7d2e9f4-1a8b-4e36-8d5c-6b0f2a4e9c33', NULL, ARRAY[]::text[], '2026-04-27 06:00:00'),
    -- raw key: sk-seed-search-erin-q8Xc   (models NULL, blocked NULL)
    ('685b8c2bb0b072c018d3db521313a09cf19ed47a8b79ba1fe23052f1c0298c3e', 'sk-...q8Xc',
     'erin-dev', 3.2, NULL, NULL, '{}', 'erin@example.org',
     'e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55', '{}', NULL, NULL, NULL, NULL, NULL, NULL,
     '2026-01-15 08:05:00', 'erin@example.org', '2026-01-15 08:05:00', 'erin@example.org', NULL,
     ARRAY[]::text[], NULL),
    -- raw key: sk-seed-support-bot-Lm2v
    ('63a480f824e8d022b6ab9c3a86227a122bdf05b8b9053a92c5d3da8bba041b80', 'sk-...Lm2v',
     'support-bot', 6.3, NULL, ARRAY[]::text[], '{}', 'svc-nightly-batch', 'team-support-bots',
     '{}', false, NULL, 120, NULL, NULL, NULL, '2026-02-20 12:10:00', 'dave@example.com',
     '2026-02-20 12:10:00', 'dave@example.com', NULL, ARRAY['ag-support-models'],
     '2026-04-27 05:55:00'),
    -- raw key: sk-seed-legacy-carol-Hh9e   (the team is blocked, the key is not)
    ('9c3f96c38ffec45fc86b198ec38f39b1a60f5713e60cd3ef684662d35f5551a1', 'sk-...Hh9e',
     'legacy-sandbox', 9.99, NULL, ARRAY['gpt-4o-mini'], '{}',
     'c7d2e9f4-1a8b-4e36-8d5c-6b0f2a4e9c33', 'team-legacy-sandbox', '{}', false, NULL, NULL,
     NULL, NULL, NULL, '2024-06-11 08:00:00', 'c7d2e9f4-1a8b-4e36-8d5c-6b0f2a4e9c33',
     '2024-06-11 08:00:00', 'c7d2e9f4-1a8b-4e36-8d5c-6b0f2a4e9c33', NULL, ARRAY[]::text[], NULL),
    -- raw key: sk-seed-personal-alice-Wd4r   (personal key)
    ('f0b4940653f94d4a84e01909d60e011a7fd75e97d005b79e0761770b8c528f2e', 'sk-...Wd4r',
     'alice-personal', 15.3, '2027-01-01 00:00:00', ARRAY['gpt-4o-mini'], '{}',
     '3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11', NULL, '{}', false, NULL, NULL, 20.0, '30d', NULL,
     '2025-09-02 09:10:00', '3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11', '2025-09-02 09:10:00',
     '3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11', NULL, ARRAY[]::text[], '2026-04-20 12:00:00'),
    -- raw key: sk-seed-personal-dave-Tn6b   (personal, blocked, expired, no alias)
    ('35dfa4aa2f1c83a05dd3e42a6316d9401aec2ca1fc363e5823e70ef91ec2ba09', 'sk-...Tn6b', NULL, 0.0,
     '2026-02-01 00:00:00', ARRAY[]::text[], '{}', 'dave@example.com', NULL, '{}', true, NULL,
     NULL, NULL, NULL, NULL, '2025-11-03 10:20:00', 'dave@example.com', '2026-04-20 09:00:00',
     'default_user_id', NULL, ARRAY[]::text[], NULL);

-- Model deployments stored in the DB -------------------------------------------------------------
-- api_key values are opaque stand-ins for LiteLLM's encrypted secrets.
INSERT INTO "LiteLLM_ProxyModelTable"
    ("model_id", "model_name", "litellm_params", "model_info", "created_at", "created_by",
     "updated_at", "updated_by")
VALUES
    ('b1f0c6d2-8a4e-4c7b-9e15-3d2a6f8c0a01', 'gpt-4o',
     '{"model": "openai/gpt-4o", "api_key": "Z0FBQUFBQm9fc2VlZC1lbmNyeXB0ZWQtMDE="}',
     '{"id": "b1f0c6d2-8a4e-4c7b-9e15-3d2a6f8c0a01", "db_model": true, "access_groups": ["beta-models", "production-models"]}',
     '2025-09-01 08:20:00', 'default_user_id', '2025-09-01 08:20:00', 'default_user_id'),
    ('b1f0c6d2-8a4e-4c7b-9e15-3d2a6f8c0a02', 'gpt-4o-mini',
     '{"model": "openai/gpt-4o-mini", "api_key": "Z0FBQUFBQm9fc2VlZC1lbmNyeXB0ZWQtMDI="}',
     '{"id": "b1f0c6d2-8a4e-4c7b-9e15-3d2a6f8c0a02", "db_model": true, "access_groups": ["production-models"]}',
     '2025-09-01 08:21:00', 'default_user_id', '2025-09-01 08:21:00', 'default_user_id'),
    ('b1f0c6d2-8a4e-4c7b-9e15-3d2a6f8c0a03', 'claude-3-5-sonnet',
     '{"model": "anthropic/claude-3-5-sonnet-20241022", "api_key": "Z0FBQUFBQm9fc2VlZC1lbmNyeXB0ZWQtMDM="}',
     '{"id": "b1f0c6d2-8a4e-4c7b-9e15-3d2a6f8c0a03", "db_model": true, "access_groups": ["beta-models"]}',
     '2025-09-01 08:22:00', 'default_user_id', '2025-09-01 08:22:00', 'default_user_id'),
    ('b1f0c6d2-8a4e-4c7b-9e15-3d2a6f8c0a04', 'text-embedding-3-small',
     '{"model": "openai/text-embedding-3-small", "api_key": "Z0FBQUFBQm9fc2VlZC1lbmNyeXB0ZWQtMDQ="}',
     '{"id": "b1f0c6d2-8a4e-4c7b-9e15-3d2a6f8c0a04", "db_model": true, "mode": "embedding", "base_model": "text-embedding-3-small"}',
     '2025-10-14 09:40:00', 'default_user_id', '2025-10-14 09:40:00', 'default_user_id'),
    -- team-scoped BYOK model of Search Platform: internal name model_name_<team_id>_<uuid>
    ('7d3e9a1b-2c4f-4e6a-8b0d-1f3a5c7e9b12',
     'model_name_e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55_7d3e9a1b-2c4f-4e6a-8b0d-1f3a5c7e9b12',
     '{"model": "cohere/rerank-english-v3.0", "api_key": "Z0FBQUFBQm9fc2VlZC1lbmNyeXB0ZWQtMDU="}',
     '{"id": "7d3e9a1b-2c4f-4e6a-8b0d-1f3a5c7e9b12", "db_model": true, "team_id": "e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55", "team_public_model_name": "search-rerank"}',
     '2026-02-02 13:30:00', 'c7d2e9f4-1a8b-4e36-8d5c-6b0f2a4e9c33', '2026-02-02 13:30:00',
     'c7d2e9f4-1a8b-4e36-8d5c-6b0f2a4e9c33');

-- Unified access groups --------------------------------------------------------------------------
INSERT INTO "LiteLLM_AccessGroupTable"
    ("access_group_id", "access_group_name", "description", "access_mcp_server_ids",
     "access_agent_ids", "assigned_team_ids", "assigned_key_ids", "created_at", "created_by",
     "updated_at", "updated_by", "access_model_names")
VALUES
    ('ag-support-models', 'support-models', 'Models the support bots may call', ARRAY[]::text[],
     ARRAY[]::text[], ARRAY['team-support-bots'],
     ARRAY['63a480f824e8d022b6ab9c3a86227a122bdf05b8b9053a92c5d3da8bba041b80'],
     '2026-02-20 11:50:00', 'default_user_id', '2026-02-20 12:10:00', 'default_user_id',
     ARRAY['gpt-4o-mini', 'claude-3-5-sonnet']),
    ('ag-research-tools', 'research-tools', NULL, ARRAY['mcp-github'], ARRAY[]::text[],
     ARRAY[]::text[], ARRAY[]::text[], '2026-03-01 10:00:00', 'default_user_id',
     '2026-03-01 10:00:00', 'default_user_id', ARRAY['gpt-4o']);

-- Audit log --------------------------------------------------------------------------------------
INSERT INTO "LiteLLM_AuditLog"
    ("id", "updated_at", "changed_by", "changed_by_api_key", "action", "table_name", "object_id",
     "before_value", "updated_values")
VALUES
    ('0f6c2b1a-3d4e-4f50-8a61-7b8c9d0e1f21', '2025-10-14 09:35:00.412', 'default_user_id',
     '23bcefe048ba05dbdea88e2f095464f3eddfd02f992fdf2b8dfaf29dc1779eee', 'created',
     'LiteLLM_TeamTable', 'e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55', NULL,
     '{"team_id": "e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55", "team_alias": "Search Platform", "organization_id": "6f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f", "models": ["gpt-4o-mini", "text-embedding-3-small"], "max_budget": 300.0, "budget_duration": "30d", "blocked": false}'),
    -- updated_values double-encoded: a JSON string holding JSON
    ('0f6c2b1a-3d4e-4f50-8a61-7b8c9d0e1f22', '2026-04-10 15:20:00.007',
     '3f9c2a7e-5b1d-4c8e-9a6f-0d2e4b7c1a11',
     '44465249d9c3b359d4f6ac391e78673db0ae29a08fd55ba5b103d67f0d6c118c', 'updated',
     'LiteLLM_TeamTable', 'team-ml-research',
     '{"team_id": "team-ml-research", "team_alias": "ML Research", "models": ["gpt-4o", "claude-3-5-sonnet"], "blocked": false}',
     to_jsonb('{"models": ["gpt-4o", "claude-3-5-sonnet", "beta-models"]}'::text)),
    ('0f6c2b1a-3d4e-4f50-8a61-7b8c9d0e1f23', '2026-04-20 09:00:00.250', 'default_user_id',
     '23bcefe048ba05dbdea88e2f095464f3eddfd02f992fdf2b8dfaf29dc1779eee', 'blocked',
     'LiteLLM_VerificationToken',
     '35dfa4aa2f1c83a05dd3e42a6316d9401aec2ca1fc363e5823e70ef91ec2ba09',
     '{"token": "35dfa4aa2f1c83a05dd3e42a6316d9401aec2ca1fc363e5823e70ef91ec2ba09", "key_name": "*****", "user_id": "dave@example.com", "blocked": false}',
     '{"token": "35dfa4aa2f1c83a05dd3e42a6316d9401aec2ca1fc363e5823e70ef91ec2ba09", "key_name": "*****", "user_id": "dave@example.com", "blocked": true}');

-- Proxy settings stored in the DB ----------------------------------------------------------------
INSERT INTO "LiteLLM_Config" ("param_name", "param_value")
VALUES
    ('general_settings', '{"store_model_in_db": true, "store_prompts_in_spend_logs": false}'),
    ('litellm_settings', '{"store_audit_logs": true, "drop_params": true}');

COMMIT;
