-- Logs every model change into ai_model_changes, field by field, set-based (statement triggers
-- with transition tables, so a sync of thousands of models logs in one pass).
-- A sync marks its transaction with `sync_ai_models.in_sync = on` and `sync_ai_models.run_id`;
-- any other change is a manual edit, attributed to current_user and the API caller's JWT `sub`.

create or replace function public.ai_jsonb_diff(p_old jsonb, p_new jsonb)
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
  -- a missing key and an explicit null are the same "unknown"
  select coalesce(jsonb_object_agg(k, jsonb_build_object(
           'old', coalesce(p_old -> k, 'null'::jsonb), 'new', coalesce(p_new -> k, 'null'::jsonb))),
         '{}'::jsonb)
  from (select jsonb_object_keys(coalesce(p_old, '{}'::jsonb))
        union
        select jsonb_object_keys(coalesce(p_new, '{}'::jsonb))) as keys (k)
  where coalesce(p_old -> k, 'null'::jsonb) <> coalesce(p_new -> k, 'null'::jsonb)
$$;

create or replace function public.ai_model_columns(p_row public.ai_providers)
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
  select jsonb_build_object('name', p_row.name, 'description', p_row.description,
                            'kind', p_row.kind, 'is_enabled', p_row.is_enabled)
$$;

create or replace function public.ai_log_model_inserts()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
declare
  in_sync boolean := coalesce(current_setting('sync_ai_models.in_sync', true), '') = 'on';
  run uuid := nullif(current_setting('sync_ai_models.run_id', true), '')::uuid;
  caller text := nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub';
begin
  insert into public.ai_model_changes
    (model_id, provider, api_identifier, run_id, kind, changed_by_user, changes)
  select n.id, n.provider, n.api_identifier, case when in_sync then run end,
         case when in_sync then 'added' else 'manual_edit' end, caller,
         public.ai_jsonb_diff('{}'::jsonb, n.config || public.ai_model_columns(n))
  from new_rows n;
  return null;
end
$$;

create or replace function public.ai_log_model_updates()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
declare
  in_sync boolean := coalesce(current_setting('sync_ai_models.in_sync', true), '') = 'on';
  run uuid := nullif(current_setting('sync_ai_models.run_id', true), '')::uuid;
  caller text := nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub';
  edit_kind text := coalesce(nullif(current_setting('sync_ai_models.change_kind', true), ''),
                             case when in_sync then 'updated' else 'manual_edit' end);
begin
  insert into public.ai_model_changes
    (model_id, provider, api_identifier, run_id, kind, changed_by_user, changes)
  select n.id, n.provider, n.api_identifier, case when in_sync then run end,
         c.kind, caller, c.changes
  from old_rows o
  join new_rows n on n.id = o.id
  cross join lateral (
    select 'deactivated' as kind,
           '{"is_active": {"old": true, "new": false}}'::jsonb as changes
    where o.is_active and not n.is_active
    union all
    select 'reactivated', '{"is_active": {"old": false, "new": true}}'::jsonb
    where not o.is_active and n.is_active
    union all
    select edit_kind, d.diff
    from (select public.ai_jsonb_diff(o.config || public.ai_model_columns(o),
                                      n.config || public.ai_model_columns(n)) as diff) d
    where (o.config, o.name, o.description, o.kind, o.is_enabled)
          is distinct from (n.config, n.name, n.description, n.kind, n.is_enabled)
      and d.diff <> '{}'::jsonb
  ) c;
  return null;
end
$$;

drop trigger if exists ai_providers_log_inserts on public.ai_providers;
create trigger ai_providers_log_inserts
  after insert on public.ai_providers
  referencing new table as new_rows
  for each statement execute function public.ai_log_model_inserts();

drop trigger if exists ai_providers_log_updates on public.ai_providers;
create trigger ai_providers_log_updates
  after update on public.ai_providers
  referencing old table as old_rows new table as new_rows
  for each statement execute function public.ai_log_model_updates();

revoke execute on function public.ai_jsonb_diff(jsonb, jsonb) from public, anon, authenticated;
revoke execute on function public.ai_model_columns(public.ai_providers)
  from public, anon, authenticated;
revoke execute on function public.ai_log_model_inserts() from public, anon, authenticated;
revoke execute on function public.ai_log_model_updates() from public, anon, authenticated;
-- the triggers call these as the editing role
grant execute on function public.ai_jsonb_diff(jsonb, jsonb) to service_role;
grant execute on function public.ai_model_columns(public.ai_providers) to service_role;
