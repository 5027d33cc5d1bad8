-- Synthetic LiteLLM database for the snapshot benchmark (tests/bench/snapshot-benchmark.sh), in
-- the shape of the proxy of issue 12. At scale 1:
--   300 deployments of 100 model groups (wildcards, access groups, team BYOK deployments),
--   1,000 teams in 20 organizations (UUID ids, 100 members each, default member budgets, alias rows),
--   100,000 memberships: 60% scoped (allowed_models) on a private budget row, 25% a private
--     max_budget only, 15% without a budget row of their own,
--   90,000 users (60% UUID ids, 30% e-mail ids, 10% service ids); 10,000 of them in two teams,
--   200,000 keys: two per membership, sha256 tokens, most with aliases and metadata, some with
--     models, model aliases, access groups; a few personal keys and blocked keys.
-- Values follow ../shared litellm-value-shapes.md. Deterministic: generate_series and md5 only.
-- Scaled with `-v scale=…` (teams, memberships, users and keys grow together; deployments stay):
--   psql -v scale=0.5 -f litellm-newest.sql -f snapshot-data.sql   (half), 2 = double.

\if :{?scale}
\else
\set scale 1
\endif

SELECT greatest(1, round(1000 * :scale))::int AS teams \gset
SELECT :teams * 100 AS members, :teams * 90 AS users, :teams * 200 AS keys \gset

-- Deterministic UUID-shaped ids, as LiteLLM's uuid4() writes them.
CREATE FUNCTION pg_temp.uid(kind text, n int) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT md5(kind || ':' || n)::uuid::text $$;

-- The model-group catalogue: group g (1..100) is a base name, with a version suffix after the
-- first twenty.
CREATE FUNCTION pg_temp.model_group(g int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT (ARRAY['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-5-mini', 'o3-pro',
                  'claude-3-5-sonnet', 'claude-sonnet-5', 'claude-haiku-4-5', 'gemini-2.5-pro',
                  'gemini-2.5-flash', 'text-embedding-3-small', 'text-embedding-3-large',
                  'rerank-english-v3.0', 'mistral-large', 'llama-3.3-70b', 'command-r-plus',
                  'deepseek-r1', 'qwen-2.5-coder', 'nova-lite'])[(g - 1) % 20 + 1]
           || CASE WHEN g > 20 THEN '-eu-' || ((g - 1) / 20) ELSE '' END $$;

CREATE FUNCTION pg_temp.provider(g int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT (ARRAY['azure', 'openai', 'anthropic', 'bedrock', 'vertex_ai'])[g % 5 + 1] $$;

-- Team t's models: ten groups, plus a wildcard, an access group or all-proxy-models on some.
CREATE FUNCTION pg_temp.team_model(t int, k int) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT pg_temp.model_group((t * 7 + k * 13) % 100 + 1) $$;

INSERT INTO "LiteLLM_ProxyModelTable" (model_id, model_name, litellm_params, model_info, created_by, updated_by)
SELECT pg_temp.uid('deployment', d),
       CASE WHEN d > 290 THEN (ARRAY['openai/*', 'anthropic/*', 'bedrock/*', 'vertex_ai/*', 'azure/*'])[(d - 291) % 5 + 1]
            ELSE pg_temp.model_group((d - 1) % 100 + 1) END,
       jsonb_build_object(
           'model', CASE WHEN d > 290 THEN (ARRAY['openai/*', 'anthropic/*', 'bedrock/*', 'vertex_ai/*', 'azure/*'])[(d - 291) % 5 + 1]
                         ELSE pg_temp.provider(d) || '/' || pg_temp.model_group((d - 1) % 100 + 1) || '-2024-11-20' END,
           'api_base', 'https://region-' || (d % 7) || '.llm-gateway.example.com/v1',
           'api_key', 'gAAAAABn' || encode(sha256(('deployment-key-' || d)::bytea), 'base64'),
           'api_version', '2024-10-21', 'rpm', 600, 'tpm', 200000, 'timeout', 120),
       jsonb_build_object(
           'id', pg_temp.uid('deployment', d), 'db_model', true,
           'base_model', pg_temp.model_group((d - 1) % 100 + 1),
           'mode', CASE WHEN (d - 1) % 20 IN (11, 12) THEN 'embedding' ELSE 'chat' END,
           'input_cost_per_token', 0.0000025, 'output_cost_per_token', 0.00001,
           'access_groups', CASE WHEN d % 10 = 0 THEN jsonb_build_array('beta-models')
                                 WHEN d % 10 = 5 THEN jsonb_build_array('production-models', 'research-models')
                                 ELSE '[]'::jsonb END)
       || CASE WHEN d BETWEEN 281 AND 290
               THEN jsonb_build_object('team_id', pg_temp.uid('team', (d - 280) * 97 % :teams + 1),
                                       'team_public_model_name', 'byok-' || pg_temp.model_group((d - 1) % 100 + 1))
               ELSE '{}'::jsonb END,
       'default_user_id', 'default_user_id'
FROM generate_series(1, 300) AS d;

INSERT INTO "LiteLLM_BudgetTable" (budget_id, max_budget, budget_duration, created_by, updated_by)
SELECT pg_temp.uid('org-budget', o), 50000, '30d', 'default_user_id', 'default_user_id'
FROM generate_series(1, 20) AS o;

INSERT INTO "LiteLLM_OrganizationTable" (organization_id, organization_alias, budget_id, models, created_by, updated_by)
SELECT pg_temp.uid('org', o), 'Business unit ' || o, pg_temp.uid('org-budget', o), ARRAY[]::text[],
       'default_user_id', 'default_user_id'
FROM generate_series(1, 20) AS o;

-- Users: user u is the member of membership u; 10% of the teams' seats go to users who are
-- already in another team.
CREATE FUNCTION pg_temp.user_id(u int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN u % 10 < 6 THEN pg_temp.uid('user', u)
                WHEN u % 10 < 9 THEN 'firstname.lastname' || u || '@corp-research.example.com'
                ELSE 'svc-pipeline-' || u END $$;

CREATE TEMP TABLE bench_seat AS
SELECT m, (m - 1) / 100 + 1 AS t,
       CASE WHEN m <= :users THEN m ELSE ((m - :users - 1)::bigint * 7919 % :users)::int + 1 END AS u
FROM generate_series(1, :members) AS m;
CREATE INDEX ON bench_seat (u);
CREATE INDEX ON bench_seat (t);

INSERT INTO "LiteLLM_UserTable" (user_id, user_alias, user_email, user_role, teams, models, metadata, spend, max_budget)
SELECT pg_temp.user_id(u), 'Firstname Lastname ' || u, 'firstname.lastname' || u || '@corp-research.example.com',
       CASE WHEN u % 20 = 0 THEN 'proxy_admin_viewer' WHEN u % 20 = 1 THEN 'internal_user_viewer'
            ELSE 'internal_user' END,
       ARRAY(SELECT pg_temp.uid('team', s.t) FROM bench_seat s WHERE s.u = users.u ORDER BY s.t),
       ARRAY[]::text[], '{}'::jsonb, (u % 1000) / 10.0, CASE WHEN u % 4 = 0 THEN 100 END
FROM generate_series(1, :users) AS users(u);

-- A default member budget on 30% of the teams (metadata.team_member_budget_id).
INSERT INTO "LiteLLM_BudgetTable" (budget_id, max_budget, budget_duration, tpm_limit, rpm_limit, allowed_models, created_by, updated_by)
SELECT pg_temp.uid('team-member-budget', t), 25, '30d', 100000, 500,
       CASE WHEN t % 2 = 0 THEN ARRAY[pg_temp.team_model(t, 1), pg_temp.team_model(t, 2)] ELSE ARRAY[]::text[] END,
       'default_user_id', 'default_user_id'
FROM generate_series(1, :teams) AS t WHERE t % 10 < 3;

-- Model alias rows for a fifth of the teams.
INSERT INTO "LiteLLM_ModelTable" (id, aliases, created_by, updated_by)
SELECT t, jsonb_build_object('fast', pg_temp.team_model(t, 2), 'smart', pg_temp.team_model(t, 1),
                             'embed', 'text-embedding-3-small'),
       'default_user_id', 'default_user_id'
FROM generate_series(1, :teams) AS t WHERE t % 5 = 0;

INSERT INTO "LiteLLM_TeamTable" (team_id, team_alias, organization_id, models, default_team_member_models,
                                 members_with_roles, metadata, max_budget, spend, tpm_limit, rpm_limit,
                                 budget_duration, model_id, access_group_ids)
SELECT pg_temp.uid('team', t), 'Research team ' || t || ' (' || pg_temp.model_group(t % 100 + 1) || ')',
       CASE WHEN t % 10 <> 9 THEN pg_temp.uid('org', t % 20 + 1) END,
       CASE WHEN t % 25 = 0 THEN ARRAY['all-proxy-models']
            ELSE ARRAY(SELECT pg_temp.team_model(t, k) FROM generate_series(1, 10) AS k)
                 || CASE WHEN t % 25 = 1 THEN ARRAY['openai/*'] ELSE ARRAY[]::text[] END
                 || CASE WHEN t % 10 = 3 THEN ARRAY['beta-models'] ELSE ARRAY[]::text[] END END,
       CASE WHEN t % 5 < 2 THEN ARRAY[pg_temp.team_model(t, 1), pg_temp.team_model(t, 3)] ELSE ARRAY[]::text[] END,
       (SELECT jsonb_agg(jsonb_build_object('user_id', pg_temp.user_id(s.u),
                                            'user_email', 'firstname.lastname' || s.u || '@corp-research.example.com',
                                            'role', CASE WHEN s.m % 100 = 1 THEN 'admin' ELSE 'user' END)
                         ORDER BY s.m)
          FROM bench_seat s WHERE s.t = teams.t),
       jsonb_build_object('tags', jsonb_build_array('research', 'cost-center-' || (t % 40)),
                          'guardrails', '[]'::jsonb,
                          'model_tpm_limit', jsonb_build_object(pg_temp.team_model(t, 1), 10000),
                          'soft_budget_alerting_emails', jsonb_build_array('ops-' || t || '@corp-research.example.com'))
       || CASE WHEN t % 10 < 3 THEN jsonb_build_object('team_member_budget_id', pg_temp.uid('team-member-budget', t))
               ELSE '{}'::jsonb END,
       1000, (t % 997) * 1.5, 2000000, 5000, '30d',
       CASE WHEN t % 5 = 0 THEN t END,
       ARRAY[]::text[]
FROM generate_series(1, :teams) AS teams(t);

-- Membership budgets: 60% scoped, 25% a budget only, 15% none.
INSERT INTO "LiteLLM_BudgetTable" (budget_id, max_budget, budget_duration, tpm_limit, rpm_limit, allowed_models, created_by, updated_by)
SELECT pg_temp.uid('member-budget', m), 10 + m % 90, '30d',
       CASE WHEN m % 3 = 0 THEN 50000 END, CASE WHEN m % 3 = 0 THEN 200 END,
       CASE WHEN m % 20 < 12
            THEN ARRAY[pg_temp.team_model(t, m % 10 + 1)]
                 || CASE WHEN m % 4 = 0 THEN ARRAY[pg_temp.team_model(t, (m + 3) % 10 + 1)] ELSE ARRAY[]::text[] END
                 -- a few scopes name a model outside the team's list
                 || CASE WHEN m % 97 = 0 THEN ARRAY['o3-pro-eu-4'] ELSE ARRAY[]::text[] END
            ELSE ARRAY[]::text[] END,
       'default_user_id', 'default_user_id'
FROM bench_seat WHERE m % 20 < 17;

INSERT INTO "LiteLLM_TeamMembership" (user_id, team_id, spend, total_spend, budget_id)
SELECT pg_temp.user_id(u), pg_temp.uid('team', t), (m % 500) / 100.0, (m % 5000) / 100.0,
       CASE WHEN m % 20 < 17 THEN pg_temp.uid('member-budget', m) END
FROM bench_seat;

-- Keys: two per membership, as LiteLLM writes them (token = sha256 of the raw key).
INSERT INTO "LiteLLM_VerificationToken" (token, key_name, key_alias, models, aliases, config, metadata,
                                         user_id, team_id, spend, max_budget, blocked, access_group_ids,
                                         created_by, updated_by)
SELECT encode(sha256(('sk-' || md5('raw-key:' || k))::bytea), 'hex'),
       'sk-...' || right(md5('raw-key:' || k), 4),
       CASE WHEN k % 10 <> 7 THEN 'team-' || s.t || '-' || split_part(pg_temp.user_id(s.u), '@', 1) || '-key-' || (k % 2 + 1) END,
       CASE WHEN k % 4 = 0 THEN ARRAY[pg_temp.team_model(s.t, k % 10 + 1)]
            WHEN k % 4 = 1 AND k % 3 = 0 THEN ARRAY[pg_temp.team_model(s.t, 1), pg_temp.team_model(s.t, 2), pg_temp.team_model(s.t, 5)]
            ELSE ARRAY[]::text[] END,
       CASE WHEN k % 20 = 3 THEN jsonb_build_object('fast', pg_temp.team_model(s.t, 2), 'prod', pg_temp.team_model(s.t, 1))
            ELSE '{}'::jsonb END,
       '{}'::jsonb,
       jsonb_build_object('tags', jsonb_build_array('app-' || (k % 50)), 'team_member_key', true,
                          'created_via', 'ui')
       || CASE WHEN k % 50 = 0 THEN jsonb_build_object('guardrails', jsonb_build_array('pii-mask')) ELSE '{}'::jsonb END,
       pg_temp.user_id(s.u),
       CASE WHEN k % 40 <> 5 THEN pg_temp.uid('team', s.t) END,
       (k % 10000) / 1000.0, CASE WHEN k % 8 = 0 THEN 50 END,
       CASE WHEN k % 100 = 42 THEN true END,
       CASE WHEN k % 250 = 0 THEN ARRAY[pg_temp.uid('access-group', k % 5 + 1)] ELSE ARRAY[]::text[] END,
       pg_temp.user_id(s.u), pg_temp.user_id(s.u)
FROM bench_seat s, LATERAL (VALUES (2 * s.m - 1), (2 * s.m)) AS keys(k);

INSERT INTO "LiteLLM_AccessGroupTable" (access_group_id, access_group_name, access_model_names, assigned_team_ids)
SELECT pg_temp.uid('access-group', g), 'Access group ' || g,
       ARRAY[pg_temp.model_group(g * 11), pg_temp.model_group(g * 11 + 1)],
       ARRAY(SELECT pg_temp.uid('team', t) FROM generate_series(g, :teams, 50) AS t)
FROM generate_series(1, 5) AS g;

DROP TABLE bench_seat;
VACUUM ANALYZE;
