-- Reads one model's config, for the token-cost utilities (same call over Postgres and PostgREST).
create or replace function public.sync_get_model_config(p_provider text, p_api_identifier text)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select jsonb_build_object('config', config, 'is_active', is_active, 'is_enabled', is_enabled,
                            'kind', kind, 'overridden_fields',
                            to_jsonb(public.ai_overridden_fields(config, sync_baseline)))
  from public.ai_providers
  where provider = p_provider and api_identifier = p_api_identifier
$$;

revoke execute on function public.sync_get_model_config(text, text) from public, anon, authenticated;
grant execute on function public.sync_get_model_config(text, text) to service_role;
