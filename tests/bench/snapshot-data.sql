-- Synthetic LiteLLM database for the snapshot benchmark (tests/bench/snapshot-benchmark.sh):
-- 500 proxy models, 1,000 teams, 100,000 members (100 per team, each its own user, 30% with a
-- narrow allowed_models scope on a private budget row), 200,000 keys (two per member).
-- Deterministic: generate_series only. Load after litellm-newest.sql.

INSERT INTO "LiteLLM_ProxyModelTable" (model_id, model_name, litellm_params, model_info, created_by, updated_by)
SELECT 'model-' || i, 'gpt-bench-' || i,
       jsonb_build_object('model', 'openai/gpt-bench-' || i, 'api_key', 'encrypted-not-a-secret'),
       jsonb_build_object('id', 'model-' || i, 'db_model', true,
                          'access_groups', CASE WHEN i % 5 = 0 THEN jsonb_build_array('beta-models') ELSE '[]'::jsonb END),
       'default_user_id', 'default_user_id'
FROM generate_series(1, 500) AS i;

INSERT INTO "LiteLLM_UserTable" (user_id, user_email, user_role, teams, models)
SELECT 'user-' || i, 'user' || i || '@bench.example', 'internal_user',
       ARRAY['team-' || ((i - 1) / 100 + 1)], ARRAY[]::text[]
FROM generate_series(1, 100000) AS i;

INSERT INTO "LiteLLM_TeamTable" (team_id, team_alias, models, members_with_roles, default_team_member_models)
SELECT 'team-' || t, 'Team ' || t,
       ARRAY(SELECT 'gpt-bench-' || ((t * 7 + k) % 500 + 1) FROM generate_series(1, 10) AS k),
       (SELECT jsonb_agg(jsonb_build_object('user_id', 'user-' || u, 'user_email',
                                            'user' || u || '@bench.example', 'role', 'user'))
          FROM generate_series((t - 1) * 100 + 1, t * 100) AS u),
       ARRAY[]::text[]
FROM generate_series(1, 1000) AS t;

INSERT INTO "LiteLLM_BudgetTable" (budget_id, allowed_models, max_budget, created_by, updated_by)
SELECT 'budget-' || i, ARRAY['gpt-bench-' || ((((i - 1) / 100 + 1) * 7 + 1) % 500 + 1)], 50,
       'default_user_id', 'default_user_id'
FROM generate_series(1, 100000) AS i WHERE i % 10 < 3;

INSERT INTO "LiteLLM_TeamMembership" (user_id, team_id, spend, budget_id)
SELECT 'user-' || i, 'team-' || ((i - 1) / 100 + 1), 0, 'budget-' || i
FROM generate_series(1, 100000) AS i WHERE i % 10 < 3;

INSERT INTO "LiteLLM_VerificationToken" (token, key_name, key_alias, models, user_id, team_id)
SELECT encode(sha256(('sk-bench-' || k)::bytea), 'hex'), 'sk-...' || right('000' || k, 4),
       'bench-key-' || k,
       CASE WHEN k % 4 = 0 THEN ARRAY['gpt-bench-' || (k % 500 + 1)] ELSE ARRAY[]::text[] END,
       'user-' || ((k - 1) / 2 + 1), 'team-' || (((k - 1) / 2) / 100 + 1)
FROM generate_series(1, 200000) AS k;

VACUUM ANALYZE;
