-- Adopted models (see 0001a): their config values count as an admin's until released. Releasing
-- hands a field (or, with no field, every field) back to the sync: the baseline takes the current
-- value, so the next sync owns the field and writes what the vendor and catalogs say.
create or replace function public.sync_release_adopted(
  p_provider text default null,
  p_field text default null
)
returns integer
language plpgsql
security invoker
set search_path = ''
as $$
declare
  released int;
begin
  with adopted as (
    select distinct model_id from sync_ai_models.adopted_models where action = 'adopted'
  ), done as (
    update public.ai_providers p
       set sync_baseline = case
             when p_field is null then p.config
             when p.config ? p_field
               then coalesce(p.sync_baseline, '{}'::jsonb)
                    || jsonb_build_object(p_field, p.config -> p_field)
             else coalesce(p.sync_baseline, '{}'::jsonb) - p_field
           end
      from adopted a
     where p.id = a.model_id
       and (p_provider is null or p.provider = p_provider)
       and (p_field is null or p.config ? p_field or p.sync_baseline ? p_field)
       and p.sync_baseline is distinct from case
             when p_field is null then p.config
             when p.config ? p_field
               then coalesce(p.sync_baseline, '{}'::jsonb)
                    || jsonb_build_object(p_field, p.config -> p_field)
             else coalesce(p.sync_baseline, '{}'::jsonb) - p_field
           end
    returning p.id
  )
  insert into sync_ai_models.adopted_models (model_id, action, detail)
  select id, 'released', jsonb_build_object('field', p_field) from done;
  get diagnostics released = row_count;
  return released;
end
$$;

-- The change log names a model's provider; an adopted row of a vendor this project does not sync
-- may have none, and the application must still be able to edit it.
alter table public.ai_model_changes alter column provider drop not null;

revoke execute on function public.sync_release_adopted(text, text) from public, anon, authenticated;
grant execute on function public.sync_release_adopted(text, text) to service_role;
grant usage on schema sync_ai_models to service_role;
grant select, insert on table sync_ai_models.adopted_models to service_role;

-- Adopted configs that break the contract (0030) would make the sync of their vendor fail on
-- that row with the field named; say so now, once, so that an admin fixes them first.
do $$
declare
  broken text;
begin
  select string_agg(format('%s/%s: %s', p.provider, p.api_identifier,
                           public.ai_config_error(p.config)), '; ' order by p.api_identifier)
    into broken
    from public.ai_providers p
   where p.id in (select model_id from sync_ai_models.adopted_models where action = 'adopted')
     and public.ai_config_error(p.config) is not null;
  if broken is not null then
    raise notice 'adopted configs to fix before syncing their vendor: %', broken;
  end if;
end
$$;
