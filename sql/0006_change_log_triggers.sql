-- The change log of manual edits: any insert or update of ai_providers that is not a sync's is
-- logged field by field, attributed to current_user and the API caller's JWT `sub`.
-- A sync marks its transaction with `sync_ai_models.in_sync = on` and logs its own changes in
-- one set-based statement (sync_apply_provider_models), so these row triggers stay out of its way.

-- The fields in which two JSON objects differ; a missing key and an explicit null are the same
-- "unknown". Plain SQL, so Postgres inlines it into the sync's set-based log statement.
create or replace function public.ai_jsonb_diff_fields(p_old jsonb, p_new jsonb)
returns table (field text, old_value jsonb, new_value jsonb)
language sql
immutable
as $$
  select k, coalesce(p_old -> k, 'null'::jsonb), coalesce(p_new -> k, 'null'::jsonb)
  from jsonb_object_keys(coalesce(p_old, '{}'::jsonb) || coalesce(p_new, '{}'::jsonb)) as k
  where coalesce(p_old -> k, 'null'::jsonb) <> coalesce(p_new -> k, 'null'::jsonb)
$$;

-- {field: {"old": ..., "new": ...}} for the fields that differ
create or replace function public.ai_jsonb_diff(p_old jsonb, p_new jsonb)
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
  select coalesce(jsonb_object_agg(field, jsonb_build_object('old', old_value, 'new', new_value)),
                  '{}'::jsonb)
  from public.ai_jsonb_diff_fields(p_old, p_new)
$$;

create or replace function public.ai_model_columns(p_row public.ai_providers)
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
  -- the columns a person may edit besides the config, logged like config fields
  select jsonb_build_object('name', p_row.name, 'description', p_row.description,
                            'kind', p_row.kind, 'is_enabled', p_row.is_enabled)
$$;

create or replace function public.ai_log_manual_edit()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
declare
  caller text := nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub';
  edit_kind text := coalesce(nullif(current_setting('sync_ai_models.change_kind', true), ''),
                             'manual_edit');
  old_values jsonb := case when tg_op = 'UPDATE'
                           then old.config || public.ai_model_columns(old) else '{}'::jsonb end;
  diff jsonb := public.ai_jsonb_diff(old_values, new.config || public.ai_model_columns(new));
begin
  if tg_op = 'UPDATE' and old.is_active <> new.is_active then
    insert into public.ai_model_changes
      (model_id, provider, api_identifier, kind, changed_by_user, changes)
    values (new.id, new.provider, new.api_identifier,
            case when new.is_active then 'reactivated' else 'deactivated' end, caller,
            jsonb_build_object('is_active', jsonb_build_object('old', old.is_active,
                                                              'new', new.is_active)));
  end if;
  if diff <> '{}'::jsonb then
    insert into public.ai_model_changes
      (model_id, provider, api_identifier, kind, changed_by_user, changes)
    values (new.id, new.provider, new.api_identifier, edit_kind, caller, diff);
  end if;
  return null;
end
$$;

drop trigger if exists ai_providers_log_manual_insert on public.ai_providers;
create trigger ai_providers_log_manual_insert
  after insert on public.ai_providers
  for each row
  when (current_setting('sync_ai_models.in_sync', true) is distinct from 'on')
  execute function public.ai_log_manual_edit();

drop trigger if exists ai_providers_log_manual_update on public.ai_providers;
create trigger ai_providers_log_manual_update
  after update on public.ai_providers
  for each row
  when (current_setting('sync_ai_models.in_sync', true) is distinct from 'on'
        and (old.config, old.name, old.description, old.kind, old.is_enabled, old.is_active)
            is distinct from
            (new.config, new.name, new.description, new.kind, new.is_enabled, new.is_active))
  execute function public.ai_log_manual_edit();

-- A person who renames a model makes the sync send that model's whole entry again next time
-- (an unchanged fingerprint would otherwise let the sync skip it and keep the person's name).
create or replace function public.ai_forget_fingerprint()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  new.sync_fingerprint := null;
  return new;
end
$$;

drop trigger if exists ai_providers_forget_fingerprint on public.ai_providers;
create trigger ai_providers_forget_fingerprint
  before update on public.ai_providers
  for each row
  when (current_setting('sync_ai_models.in_sync', true) is distinct from 'on'
        and (old.name, old.description, old.kind, old.sync_baseline, old.raw_entry)
            is distinct from (new.name, new.description, new.kind, new.sync_baseline, new.raw_entry))
  execute function public.ai_forget_fingerprint();

revoke execute on function public.ai_forget_fingerprint() from public, anon, authenticated;
revoke execute on function public.ai_jsonb_diff(jsonb, jsonb) from public, anon, authenticated;
revoke execute on function public.ai_jsonb_diff_fields(jsonb, jsonb) from public, anon, authenticated;
revoke execute on function public.ai_model_columns(public.ai_providers)
  from public, anon, authenticated;
revoke execute on function public.ai_log_manual_edit() from public, anon, authenticated;
-- the trigger calls these as the editing role
grant execute on function public.ai_jsonb_diff(jsonb, jsonb) to service_role;
grant execute on function public.ai_jsonb_diff_fields(jsonb, jsonb) to service_role;
grant execute on function public.ai_model_columns(public.ai_providers) to service_role;
