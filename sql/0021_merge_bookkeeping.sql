-- Bookkeeping for the merge rule of 0022:
-- * name and description get a baseline too (what the last sync wrote), so a person's edit of
--   either survives the next sync like an edited config field. Rows a sync wrote before this
--   migration take as baseline what the change log says the sync last wrote (so an edit made
--   before the upgrade stays a person's); rows no sync wrote keep none (their values count as
--   a person's).
-- * the config baseline and the sources must be JSON objects: anything else would make every
--   later sync of that vendor fail (a value already broken is dropped: no baseline, no sources).
-- * a change-log kind for a price whose every source vanished and that was kept, marked stale.

alter table public.ai_providers
  add column if not exists sync_baseline_name text,
  add column if not exists sync_baseline_description text;

comment on column public.ai_providers.sync_baseline_name is
  'The name the last sync wrote: a name that differs from it was edited by a person.';
comment on column public.ai_providers.sync_baseline_description is
  'The description the last sync wrote: one that differs from it was edited by a person.';

-- What the last sync wrote is in the change log: its last 'added' or 'updated' entry naming the
-- column (an 'added' entry leaves out a null). A row whose log says nothing takes its value.
update public.ai_providers p
   set sync_baseline_name = case when w.name is null then p.name else w.name #>> '{}' end,
       sync_baseline_description = case when w.description is null then p.description
                                        else w.description #>> '{}' end
  from public.ai_providers q
  cross join lateral (
    select (select coalesce(c.changes -> 'name' -> 'new', 'null'::jsonb)
              from public.ai_model_changes c
             where c.model_id = q.id
               and (c.kind = 'added' or (c.kind = 'updated' and c.changes ? 'name'))
             order by c.id desc limit 1) as name,
           (select coalesce(c.changes -> 'description' -> 'new', 'null'::jsonb)
              from public.ai_model_changes c
             where c.model_id = q.id
               and (c.kind = 'added' or (c.kind = 'updated' and c.changes ? 'description'))
             order by c.id desc limit 1) as description) w
 where p.id = q.id and p.sync_baseline is not null;

update public.ai_providers set sync_baseline = null
 where jsonb_typeof(sync_baseline) <> 'object';
update public.ai_providers set config_sources = '{}'::jsonb
 where jsonb_typeof(config_sources) <> 'object';

alter table public.ai_providers
  add constraint ai_providers_sync_baseline_is_object
    check (sync_baseline is null or jsonb_typeof(sync_baseline) = 'object'),
  add constraint ai_providers_config_sources_is_object
    check (jsonb_typeof(config_sources) = 'object');

alter table public.ai_model_changes drop constraint if exists ai_model_changes_kind_check;
alter table public.ai_model_changes add constraint ai_model_changes_kind_check check (kind in (
  'added', 'updated', 'deactivated', 'reactivated', 'manual_edit',
  'override_kept', 'cap_clamped', 'override_reset', 'source_vanished'));
