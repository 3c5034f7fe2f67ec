-- Hands a manual edit back to the sync: one config field, `name`, `description`, or (no field)
-- all of them. The value becomes what the last sync wrote, and the next sync updates it again.
-- (As 0009, which knew only config fields.)
create or replace function public.sync_reset_override(
  p_provider text,
  p_api_identifier text,
  p_field text default null
)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  model public.ai_providers;
begin
  select * into model from public.ai_providers
   where provider = p_provider and api_identifier = p_api_identifier
   for update;
  if not found then
    raise exception 'no model %/% in ai_providers', p_provider, p_api_identifier
      using errcode = 'no_data_found';
  end if;
  if model.sync_baseline is null then
    raise exception 'model %/% was never synced: there is no sync value to return to',
      p_provider, p_api_identifier using errcode = 'invalid_parameter_value';
  end if;

  perform set_config('sync_ai_models.change_kind', 'override_reset', true);
  update public.ai_providers
     set config = case
                    when p_field is null then model.sync_baseline
                    when p_field in ('name', 'description') then config
                    when model.sync_baseline ? p_field
                      then jsonb_set(config, array[p_field], model.sync_baseline -> p_field)
                    else config - p_field
                  end,
         name = case when p_field is null or p_field = 'name'
                     then model.sync_baseline_name else name end,
         description = case when p_field is null or p_field = 'description'
                            then model.sync_baseline_description else description end
   where id = model.id
  returning config into model.config;
  perform set_config('sync_ai_models.change_kind', '', true);
  return model.config;
end
$$;

revoke execute on function public.sync_reset_override(text, text, text) from public, anon, authenticated;
grant execute on function public.sync_reset_override(text, text, text) to service_role;
