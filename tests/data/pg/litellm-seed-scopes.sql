-- litellm-seed-scopes.sql: per-member model scopes on top of litellm-seed.sql. Applies only to a
-- schema with the v1.83.14 columns (litellm-newest.sql); it fails on litellm-pre-member-scope.sql.
-- It uses no column later than v1.83.14.
--
--   "LiteLLM_BudgetTable".allowed_models ({} = the member may use all team models):
--     budget-ml-bob                 {gpt-4o}        bob in ML Research
--     budget-ml-dave                {beta-models}   dave in ML Research (a model access group name)
--     budget-search-member-default  {gpt-4o-mini}   SHARED by erin and svc-nightly-batch in Search
--                                                   Platform (also the team's default member budget)
--     budget-search-bob             {} (unchanged)  bob in Search Platform: all team models
--   "LiteLLM_TeamTable".default_team_member_models (seeds allowed_models of NEW members only):
--     team-ml-research              {gpt-4o}
--     Search Platform               {gpt-4o-mini, text-embedding-3-small}
--     team-support-bots, team-legacy-sandbox: {} (default)
--   Also: "LiteLLM_TeamMembership".total_spend (lifetime) >= spend on every row, and
--   "LiteLLM_TeamTable".budget_limits (two windows) on team-ml-research.

BEGIN;

UPDATE "LiteLLM_BudgetTable" SET "allowed_models" = ARRAY['gpt-4o'],
       "updated_at" = '2026-04-28 09:00:00'
 WHERE "budget_id" = 'budget-ml-bob';
UPDATE "LiteLLM_BudgetTable" SET "allowed_models" = ARRAY['beta-models'],
       "updated_at" = '2026-04-28 09:01:00'
 WHERE "budget_id" = 'budget-ml-dave';
UPDATE "LiteLLM_BudgetTable" SET "allowed_models" = ARRAY['gpt-4o-mini'],
       "updated_at" = '2026-04-28 09:02:00'
 WHERE "budget_id" = 'budget-search-member-default';

UPDATE "LiteLLM_TeamTable" SET "default_team_member_models" = ARRAY['gpt-4o'],
       "budget_limits" = '[{"budget_duration": "1d", "max_budget": 25.0, "reset_at": null},
                           {"budget_duration": "30d", "max_budget": 500.0, "reset_at": "2026-05-01T00:00:00Z"}]'
 WHERE "team_id" = 'team-ml-research';
UPDATE "LiteLLM_TeamTable"
   SET "default_team_member_models" = ARRAY['gpt-4o-mini', 'text-embedding-3-small']
 WHERE "team_id" = 'e2c4f6a8-1b3d-4f5e-9a7c-2d4f6b8a0c55';

UPDATE "LiteLLM_TeamMembership" SET "total_spend" = "spend" + 10.0;

COMMIT;
