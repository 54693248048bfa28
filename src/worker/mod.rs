//! The database side of the protocol: `handle` turns one `Request` into storage calls and a
//! `Reply`. It is plain Rust, tested natively; `web` (wasm only) owns the OPFS database inside
//! the dedicated Web Worker and feeds it messages.

mod ledger;
#[cfg(target_arch = "wasm32")]
pub mod web;

use crate::domain::bundle::{self, crypt, Bundle, BundleError};
use crate::domain::sample::SampleOptions;
use crate::protocol::{
    ApiError, ExportOptions, ExportSummary, FieldError, Reply, Request, Response, Status,
    StorageState,
};
use crate::storage::{migrations, Store};

/// Answers one request against an open store.
pub fn handle(store: &mut Store, req: Request, open_millis: f64) -> Reply {
    crate::protocol::debug_check_binary(&req);
    let reply = dispatch(store, req, open_millis);
    crate::protocol::debug_check_binary(&reply);
    reply
}

/// Runs one request's handler as a function of its own. Each handler is called from one place,
/// so LLVM would otherwise inline them all into `dispatch`: a 234 KB wasm function that V8
/// compiled whole before a fresh worker could answer anything (54 ms of the first request) and
/// again, optimised, in the background (about a second of CPU on a 2-core machine). Apart,
/// V8 compiles only the handlers a session uses.
#[inline(never)]
fn apart<T>(handler: impl FnOnce() -> T) -> T {
    handler()
}

fn dispatch(store: &mut Store, req: Request, open_millis: f64) -> Reply {
    use Request as Q;
    use Response as R;
    let created =
        |r: crate::storage::Result<String>| r.map(|id| R::Created { id }).map_err(ApiError::from);
    let done = |r: crate::storage::Result<()>| r.map(|_| R::Done).map_err(ApiError::from);
    match req {
        Q::Status => apart(|| status(store, open_millis).map(R::Status)),
        Q::SetupCommunity(s) => apart(|| done(store.setup_community(&s))),
        Q::SetupStreet(s) => apart(|| done(store.setup_street(&s))),
        Q::FieldSent { exported_at } => apart(|| done(store.field_sent(exported_at))),
        Q::LoadSample { seed } => apart(|| {
            let opts = SampleOptions::community(seed, store_now(store));
            store
                .load_sample(&opts)
                .map(|_| R::Done)
                .map_err(ApiError::from)
        }),
        Q::SetDevice {
            device_name,
            actor_staff_id,
        } => apart(|| done(store.set_device(&device_name, actor_staff_id.as_deref()))),
        Q::GridTree { community_code } => apart(|| {
            store
                .grid_tree(&community_code)
                .map(R::GridTree)
                .map_err(ApiError::from)
        }),
        Q::CreateGrid { parent_id, name } => {
            apart(|| created(store.create_grid(&parent_id, &name)))
        }
        Q::RenameGrid { id, name } => apart(|| done(store.rename_grid(&id, &name))),
        Q::MoveGrid { id, new_parent_id } => apart(|| done(store.move_grid(&id, &new_parent_id))),
        Q::DeleteGrid { id } => apart(|| done(store.delete_grid(&id))),
        Q::SetLevelNames {
            community_code,
            names,
        } => apart(|| done(store.set_level_names(&community_code, &names))),
        Q::ListStaff { community_code } => apart(|| {
            store
                .list_staff(&community_code)
                .map(R::Staff)
                .map_err(ApiError::from)
        }),
        Q::SaveStaff(f) => apart(|| created(store.save_staff(&f))),
        Q::AssignStaff {
            grid_id,
            staff_id,
            duty,
        } => apart(|| created(store.assign_staff(&grid_id, &staff_id, &duty))),
        Q::UnassignStaff { link_id } => apart(|| done(store.unassign_staff(&link_id))),
        Q::ListTags { community_code } => apart(|| {
            store
                .list_tags(&community_code)
                .map(R::Tags)
                .map_err(ApiError::from)
        }),
        Q::CreateTag {
            community_code,
            name,
        } => apart(|| created(store.create_tag(&community_code, &name))),
        Q::ListHouseholds { grid_id } => apart(|| {
            store
                .list_households(&grid_id)
                .map(R::Households)
                .map_err(ApiError::from)
        }),
        Q::SaveHousehold(f) => apart(|| created(store.save_household(&f))),
        Q::SearchResidents(q) => apart(|| {
            store
                .search_residents(&q)
                .map(R::Residents)
                .map_err(ApiError::from)
        }),
        Q::GetResident { id } => apart(|| {
            store
                .get_resident(&id)
                .map(R::Resident)
                .map_err(ApiError::from)
        }),
        Q::SaveResident(f) => apart(|| created(store.save_resident(&f))),
        Q::DeleteResident { id } => apart(|| done(store.delete_resident(&id))),
        Q::ImportLog => apart(|| {
            store
                .import_log(200)
                .map(R::ImportLog)
                .map_err(ApiError::from)
        }),
        Q::Digest => apart(|| store.digest().map(R::Digest).map_err(ApiError::from)),
        Q::CheckIntegrity => apart(|| {
            store
                .integrity_check()
                .map(R::Integrity)
                .map_err(ApiError::from)
        }),
        Q::CaseCategories { community_code } => apart(|| {
            store
                .case_categories(&community_code)
                .map(R::CaseCategories)
                .map_err(ApiError::from)
        }),
        Q::ReportCase(f) => apart(|| created(store.report_case(&f))),
        Q::CaseMove {
            case_id,
            mv,
            remark,
            assignee,
            rating,
            photos,
        } => apart(|| {
            done(store.case_move_with_photos(
                &case_id,
                &mv,
                &crate::domain::case::MoveInput {
                    remark: &remark,
                    assignee: &assignee,
                    rating: &rating,
                },
                &photos,
            ))
        }),
        Q::GetCase { id } => apart(|| {
            store
                .get_case(&id)
                .map(|c| R::Case(Box::new(c)))
                .map_err(ApiError::from)
        }),
        Q::ListCases(q) => apart(|| {
            store
                .list_cases(&q)
                .map(|c| R::Cases(Box::new(c)))
                .map_err(ApiError::from)
        }),
        Q::Dashboard(q) => apart(|| {
            dashboard(store, &q)
                .map(|d| R::Dashboard(Box::new(d)))
                .map_err(ApiError::from)
        }),
        Q::DataVersion => apart(|| Ok(R::DataVersion(store.data_version()))),
        Q::ShareDuty { duty, origin } => apart(|| {
            use crate::domain::share;
            let (fragment, held) = share::encode_fitting(&duty, share::MAX_FRAGMENT);
            let url = format!("{origin}/shared#{fragment}");
            let qr = share::qr_svg(&url).map(|svg| {
                use base64::Engine;
                let b64 = base64::engine::general_purpose::STANDARD.encode(svg);
                format!("data:image/svg+xml;base64,{b64}")
            });
            Ok(R::DutyShare {
                url,
                held: held as u32,
                qr,
            })
        }),
        Q::GetPhoto { id } => apart(|| {
            store
                .get_photo(&id)
                .map(|p| R::Photo(Box::new(p)))
                .map_err(ApiError::from)
        }),
        Q::FindHouseholds {
            community_code,
            text,
            limit,
        } => apart(|| {
            store
                .find_households(&community_code, &text, limit)
                .map(R::FoundHouseholds)
                .map_err(ApiError::from)
        }),
        Q::SaveCategory {
            community_code,
            row,
        } => apart(|| done(store.save_category(&community_code, &row))),
        Q::CalendarDays => apart(|| {
            store
                .calendar_days()
                .map(R::CalendarDays)
                .map_err(ApiError::from)
        }),
        Q::SetCalendarDay { day, kind, name } => {
            apart(|| done(store.set_calendar_day(&day, &kind, &name)))
        }
        Q::ListVolunteers(q) => apart(|| {
            store
                .list_volunteers(&q)
                .map(R::Volunteers)
                .map_err(ApiError::from)
        }),
        Q::GetVolunteer { id } => apart(|| {
            store
                .get_volunteer(&id)
                .map(|v| R::Volunteer(Box::new(v)))
                .map_err(ApiError::from)
        }),
        Q::SaveVolunteer(f) => apart(|| created(store.save_volunteer(&f))),
        Q::DeleteVolunteer { id } => apart(|| done(store.delete_volunteer(&id))),
        Q::ListTeams { community_code } => apart(|| {
            store
                .list_teams(&community_code)
                .map(R::Teams)
                .map_err(ApiError::from)
        }),
        Q::SaveTeam(f) => apart(|| created(store.save_team(&f))),
        Q::AddShifts(f) => apart(|| {
            created(
                store
                    .add_shifts(&f)
                    .map(|ids| ids.into_iter().next().unwrap_or_default()),
            )
        }),
        Q::Roster {
            community_code,
            from,
            to,
        } => apart(|| {
            store
                .roster(&community_code, from, to)
                .map(R::Roster)
                .map_err(ApiError::from)
        }),
        Q::DeleteShift { id } => apart(|| done(store.delete_shift(&id))),
        Q::AssignShift {
            shift_id,
            volunteer_id,
            staff_id,
        } => apart(|| created(store.assign_shift(&shift_id, &volunteer_id, &staff_id))),
        Q::UnassignShift { link_id } => apart(|| done(store.unassign_shift(&link_id))),
        Q::MarkShift { link_id, status } => apart(|| done(store.mark_shift(&link_id, &status))),
        Q::CheckShift { link_id, action } => apart(|| done(store.check_shift(&link_id, &action))),
        Q::LogHours(f) => apart(|| {
            store
                .log_hours(&f)
                .map(|id| R::Created { id })
                .map_err(Into::into)
        }),
        Q::DeleteHours { id } => apart(|| done(store.delete_hours(&id))),
        Q::TimeBank {
            community_code,
            year,
        } => apart(|| {
            store
                .time_bank(&community_code, year)
                .map(|t| R::TimeBank(Box::new(t)))
                .map_err(Into::into)
        }),
        Q::VolunteerHours { volunteer_id } => apart(|| {
            store
                .volunteer_hours(&volunteer_id)
                .map(|t| R::VolunteerHours(Box::new(t)))
                .map_err(Into::into)
        }),
        Q::Duties {
            person_id,
            from,
            to,
        } => apart(|| {
            store
                .duties(&person_id, from, to)
                .map(R::Roster)
                .map_err(ApiError::from)
        }),
        // Micro-wishes (微心愿).
        Q::ListWishes(q) => apart(|| {
            store
                .list_wishes(&q)
                .map(|p| R::Wishes(Box::new(p)))
                .map_err(ApiError::from)
        }),
        Q::GetWish { id } => apart(|| {
            store
                .get_wish(&id)
                .map(|w| R::Wish(Box::new(w)))
                .map_err(ApiError::from)
        }),
        Q::RecordWish(f) => apart(|| created(store.record_wish(&f))),
        Q::WishMove {
            wish_id,
            mv,
            note,
            volunteer_id,
            minutes,
            photos,
        } => apart(|| {
            done(store.wish_move(
                &wish_id,
                &mv,
                &crate::domain::wish::MoveInput {
                    note: &note,
                    volunteer_id: &volunteer_id,
                    minutes,
                },
                &photos,
            ))
        }),
        // Key-group care, status history, party organisation.
        Q::KeyGroups { community_code } => apart(|| {
            store
                .key_groups(&community_code)
                .map(R::KeyGroups)
                .map_err(ApiError::from)
        }),
        Q::SetTagCadence { tag_id, visit_days } => {
            apart(|| done(store.set_tag_cadence(&tag_id, visit_days)))
        }
        Q::CareList(q) => apart(|| {
            store
                .care_list(&q)
                .map(|p| R::CarePage(Box::new(p)))
                .map_err(ApiError::from)
        }),
        Q::GetCare { resident_id } => apart(|| {
            store
                .get_care(&resident_id)
                .map(|c| R::Care(Box::new(c)))
                .map_err(ApiError::from)
        }),
        Q::SaveCarePlan(f) => apart(|| created(store.save_care_plan(&f))),
        Q::RecordVisit(f) => apart(|| created(store.record_visit(&f))),
        Q::DeleteVisit { id } => apart(|| done(store.delete_visit(&id))),
        Q::ChangeStatus(f) => apart(|| created(store.change_status(&f))),
        Q::PartyOrg { community_code } => apart(|| {
            store
                .party_org(&community_code)
                .map(|t| R::Party(Box::new(t)))
                .map_err(ApiError::from)
        }),
        Q::SavePartyOrg(f) => apart(|| created(store.save_party_org(&f))),
        Q::SavePartyMember(f) => apart(|| created(store.save_party_member(&f))),
        Q::DeletePartyMember { id } => apart(|| done(store.delete_party_member(&id))),
        Q::ListVisits(q) if !q.xlsx => apart(|| {
            store
                .list_visits(&q)
                .map(|p| R::Visits(Box::new(p)))
                .map_err(ApiError::from)
        }),
        Q::ExportLog => apart(|| {
            store
                .export_log(200)
                .map(R::ExportLog)
                .map_err(ApiError::from)
        }),
        Q::ExportBundle { .. }
        | Q::StageImport { .. }
        | Q::RestoreBackup { .. }
        | Q::ApplyImport { .. }
        | Q::CancelImport
        | Q::LedgerOpen { .. }
        | Q::LedgerPreview { .. }
        | Q::LedgerApply
        | Q::LedgerRejects { .. }
        | Q::LedgerCancel
        | Q::ExportCare { .. }
        | Q::ListVisits(_)
        | Q::ExportResidents { .. } => Err(ApiError::new(
            "bad_request",
            "a file request needs a session",
        )),
    }
}

/// What the worker keeps between requests: a bundle read, checked and previewed, waiting for
/// the person to apply or cancel it.
#[derive(Default)]
pub struct Session {
    staged: Option<Staged>,
    /// A spreadsheet being imported into the residents ledger.
    ledger: Option<Box<ledger::LedgerSession>>,
}

impl Session {
    /// Nothing is kept for a next request: the worker may be replaced.
    pub fn holds_nothing(&self) -> bool {
        self.staged.is_none() && self.ledger.is_none()
    }
}

/// A previewed import: a bundle read and merged in an open transaction, or a file imported
/// here before (recognised by its bytes; applying it only logs it again).
enum Staged {
    Bundle(Box<(Bundle, String)>),
    /// A file whose every record the database holds (the same records in another export):
    /// its header, and the file itself, read whole only if the import must run again.
    Unchanged(Box<(Bundle, Attached, String)>),
    Again {
        earlier_id: String,
        report: Box<crate::protocol::ImportReport>,
    },
}

impl From<BundleError> for ApiError {
    fn from(e: BundleError) -> Self {
        let mut fields = Vec::new();
        for (k, v) in [
            ("table", &e.table),
            ("record", &e.record),
            ("field", &e.field),
        ] {
            if let Some(v) = v {
                fields.push(FieldError {
                    field: k.into(),
                    code: v.clone(),
                });
            }
        }
        ApiError {
            code: format!("bundle_{}", e.code),
            fields,
            detail: e.to_string(),
        }
    }
}

/// A file sent with a request. For a bundle, what its bytes hash to when the browser hashed
/// them already (natively: SHA-256 in WebAssembly is ~10× slower); `None` hashes them here.
pub struct Attached {
    pub bytes: Vec<u8>,
    pub hashed: Option<bundle::Hashed>,
}

impl From<Vec<u8>> for Attached {
    fn from(bytes: Vec<u8>) -> Self {
        Attached {
            bytes,
            hashed: None,
        }
    }
}

/// A file a reply carries: bytes, or a plain bundle, written out as JSON when the reply is
/// sent, in pieces (a street's is ~420 MB, never held as one string in the worker's memory).
pub enum Output {
    Bytes(Vec<u8>),
    Bundle(Box<Bundle>),
}

impl Output {
    /// Writes the file into `w` and, for a bundle, the bytes written and the time it took into
    /// the reply's summary.
    pub fn write(self, reply: &mut Reply, w: &mut impl std::io::Write) -> std::io::Result<()> {
        match self {
            Output::Bytes(b) => w.write_all(&b),
            Output::Bundle(b) => {
                let t0 = now_millis();
                let mut counted = Counted(w, 0);
                serde_json::to_writer(&mut counted, &b)?;
                if let Ok(Response::Exported(s)) = reply {
                    s.bytes = counted.1;
                    s.millis += (now_millis() - t0) as f64;
                }
                Ok(())
            }
        }
    }

    /// The file as one piece (natively, in tests).
    pub fn into_bytes(self, reply: &mut Reply) -> Vec<u8> {
        let mut v = Vec::new();
        // Writing into a vector cannot fail, nor can serializing a bundle.
        let _ = self.write(reply, &mut v);
        v
    }
}

/// A writer that counts what passes through it.
struct Counted<'a, W>(&'a mut W, u64);

impl<W: std::io::Write> std::io::Write for Counted<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.0.write(buf)?;
        self.1 += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Answers one request that may carry a file (`input`) or produce one (the second value):
/// bundle export and import. Everything else goes to [`handle`]. `random` seeds encryption.
pub fn handle_with(
    store: &mut Store,
    session: &mut Session,
    req: Request,
    input: Option<Attached>,
    random: [u8; 28],
    open_millis: f64,
    progress: &mut dyn FnMut(&str, u64, u64),
) -> (Reply, Option<Output>) {
    crate::protocol::debug_check_binary(&req);
    let out = dispatch_with(store, session, req, input, random, open_millis, progress);
    crate::protocol::debug_check_binary(&out.0);
    out
}

fn dispatch_with(
    store: &mut Store,
    session: &mut Session,
    req: Request,
    input: Option<Attached>,
    random: [u8; 28],
    open_millis: f64,
    progress: &mut dyn FnMut(&str, u64, u64),
) -> (Reply, Option<Output>) {
    use Request as Q;
    use Response as R;
    let t0 = now_millis();
    let elapsed = || (now_millis() - t0) as f64;
    // A staged import's open transaction must not be seen (or written into) by anything else:
    // roll it back (applying it later imports again).
    if !matches!(req, Q::ApplyImport { .. } | Q::CancelImport) {
        if let Err(e) = store.release_staged() {
            return (Err(e.into()), None);
        }
    }
    let actor = || {
        store
            .actor()
            .ok()
            .flatten()
            .map(|a| a.name)
            .unwrap_or_default()
    };
    match req {
        Q::ExportBundle {
            mut options,
            passphrase,
        } => {
            let passphrase = passphrase.filter(|p| !p.is_empty());
            options.encrypted = passphrase.is_some();
            options.actor = actor();
            options.device_name = store
                .local("device_name")
                .ok()
                .flatten()
                .unwrap_or_default();
            options.file_name = export_file_name(store, &options, passphrase.is_some());
            progress("export", 0, 0);
            let (bundle, photos_left_out) = match store.export_bundle_counted(&options) {
                Ok(b) => b,
                Err(e) => return (Err(e.into()), None),
            };
            let summary = |bytes: u64| ExportSummary {
                file_name: options.file_name.clone(),
                exported_at: bundle.exported_at,
                records: bundle.record_count(),
                photos: bundle
                    .tables
                    .get("case_photos")
                    .map_or(0, |v| v.len() as u64),
                photos_left_out,
                bytes,
                encrypted: passphrase.is_some(),
                masked: !bundle.masked.is_empty(),
                millis: elapsed(),
            };
            match &passphrase {
                Some(p) => {
                    let json = bundle.to_json();
                    let bytes = crypt::encrypt(json.as_bytes(), p, random, crypt::ITERATIONS);
                    let summary = summary(bytes.len() as u64);
                    (Ok(R::Exported(summary)), Some(Output::Bytes(bytes)))
                }
                // Its size is known once it is written (`Output::write`).
                None => (
                    Ok(R::Exported(summary(0))),
                    Some(Output::Bundle(Box::new(bundle))),
                ),
            }
        }
        Q::StageImport {
            file_name,
            passphrase,
            accept_identity,
        } => {
            session.staged = None;
            match imported_before(store, input.as_ref()) {
                Ok(Some((earlier_id, earlier))) => {
                    progress("read", 0, 0);
                    let mut report = crate::storage::bundle::again_report(&earlier, &file_name);
                    report.millis = elapsed();
                    session.staged = Some(Staged::Again {
                        earlier_id,
                        report: Box::new(report.clone()),
                    });
                    return (Ok(R::ImportPreview(Box::new(report))), None);
                }
                Ok(None) => {}
                Err(e) => return (Err(e.into()), None),
            }
            let plain = input.as_ref().filter(|a| {
                !bundle::crypt::is_encrypted(&a.bytes)
                    && a.bytes.len() as u64 <= bundle::MAX_FILE_BYTES
            });
            if let Some(a) = plain {
                progress("read", 0, 0);
                match store.stage_unchanged(
                    &a.bytes,
                    a.hashed.as_ref(),
                    &file_name,
                    accept_identity,
                    progress,
                ) {
                    Ok(Some((mut report, header))) => {
                        report.millis = elapsed();
                        if let Some(file) = input {
                            session.staged =
                                Some(Staged::Unchanged(Box::new((header, file, file_name))));
                        }
                        return (Ok(R::ImportPreview(Box::new(report))), None);
                    }
                    Ok(None) => {}
                    Err(e) => return (Err(e.into()), None),
                }
            }
            let bundle = match read_bundle(input, passphrase.as_deref(), progress) {
                Ok(b) => b,
                Err(e) => return (Err(e), None),
            };
            let reply = store
                .stage_import(&bundle, &file_name, accept_identity, progress)
                .map(|mut r| {
                    r.millis = elapsed();
                    R::ImportPreview(Box::new(r))
                })
                .map_err(ApiError::from);
            if reply.is_ok() {
                session.staged = Some(Staged::Bundle(Box::new((bundle, file_name))));
            }
            (reply, None)
        }
        Q::RestoreBackup {
            file_name,
            passphrase,
            device_name,
            actor_name,
            field_only,
        } => {
            session.staged = None;
            let bundle = match read_bundle(input, passphrase.as_deref(), progress) {
                Ok(b) => b,
                Err(e) => return (Err(e), None),
            };
            if field_only && bundle.scope.field.as_ref().is_none_or(|f| f.returning) {
                return (
                    Err(ApiError::new("field_not_field_bundle", &file_name)),
                    None,
                );
            }
            let reply = store
                .restore_backup(&bundle, &file_name, &device_name, &actor_name, progress)
                .map(|mut r| {
                    r.millis = elapsed();
                    R::Imported(Box::new(r))
                })
                .map_err(ApiError::from);
            (reply, None)
        }
        Q::ApplyImport { accept_identity } => {
            let (staged, file) = match session.staged.take() {
                None => return (Err(ApiError::new("nothing_staged", "")), None),
                Some(Staged::Again { earlier_id, report }) => {
                    let reply = store
                        .log_import_again(&earlier_id, &report, &report.file_name, &actor())
                        .map(|mut r| {
                            r.millis = elapsed();
                            R::Imported(Box::new(r))
                        })
                        .map_err(ApiError::from);
                    return (reply, None);
                }
                // Committed as staged: its header is the bundle, and the file is kept in case
                // this fails. Otherwise (something came between, or another choice) the file
                // is read whole and imported again.
                Some(Staged::Unchanged(staged)) => {
                    let (header, file, file_name) = *staged;
                    if store.can_commit_staged(accept_identity) {
                        (Box::new((header, file_name)), Some(file))
                    } else {
                        match read_bundle(Some(file), None, progress) {
                            Ok(b) => (Box::new((b, file_name)), None),
                            Err(e) => {
                                // Refused the whole way: nothing stays staged.
                                let _ = store.release_staged();
                                return (Err(e), None);
                            }
                        }
                    }
                }
                Some(Staged::Bundle(staged)) => (staged, None),
            };
            let (bundle, file_name) = *staged;
            let actor = actor();
            let reply = store
                .apply_staged(&bundle, &file_name, accept_identity, &actor, progress)
                .map(|mut r| {
                    // Ready for the home page (a cache: if this fails, the dashboard computes
                    // it). An import that changed nothing leaves the kept list as it was.
                    if r.totals.changes() > 0 || r.conflicts_total > 0 {
                        let _ = store.keep_care_list();
                    }
                    r.millis = elapsed();
                    R::Imported(Box::new(r))
                })
                .map_err(ApiError::from);
            if reply.is_err() {
                // Still staged: the person may agree to mix communities and try again.
                session.staged = Some(match file {
                    Some(file) => Staged::Unchanged(Box::new((bundle, file, file_name))),
                    None => Staged::Bundle(Box::new((bundle, file_name))),
                });
            }
            (reply, None)
        }
        Q::CancelImport => {
            session.staged = None;
            (
                store.release_staged().map(|_| R::Done).map_err(Into::into),
                None,
            )
        }
        Q::ListVisits(q) if q.xlsx => bytes_out(ledger::handle(
            store,
            &mut session.ledger,
            Q::ListVisits(q),
            input.map(|a| a.bytes),
            progress,
        )),
        req @ (Q::LedgerOpen { .. }
        | Q::LedgerPreview { .. }
        | Q::LedgerApply
        | Q::LedgerRejects { .. }
        | Q::LedgerCancel
        | Q::ExportCare { .. }
        | Q::ExportResidents { .. }) => bytes_out(ledger::handle(
            store,
            &mut session.ledger,
            req,
            input.map(|a| a.bytes),
            progress,
        )),
        other => (handle(store, other, open_millis), None),
    }
}

fn bytes_out((reply, bytes): (Reply, Option<Vec<u8>>)) -> (Reply, Option<Output>) {
    (reply, bytes.map(Output::Bytes))
}

/// The import-log row and report of the bundle attached, if it was imported here before:
/// recognised from its header and, only then, one hash of its bytes, before any record is
/// parsed.
fn imported_before(
    store: &Store,
    input: Option<&Attached>,
) -> crate::storage::Result<Option<(String, crate::protocol::ImportReport)>> {
    let Some(a) = input else {
        return Ok(None);
    };
    let Some(declared) = bundle::declared(&a.bytes) else {
        return Ok(None);
    };
    Ok(store
        .import_of_bundle(&declared)?
        .filter(|_| declared.holds(&a.bytes, a.hashed.as_ref())))
}

/// The attached bundle file, decrypted, parsed and checked (its bytes freed after).
fn read_bundle(
    input: Option<Attached>,
    passphrase: Option<&str>,
    progress: &mut dyn FnMut(&str, u64, u64),
) -> Result<Bundle, ApiError> {
    let a = input.ok_or_else(|| ApiError::new("bundle_empty", "no file"))?;
    progress("read", 0, 0);
    Ok(bundle::open_hashed(
        &a.bytes,
        passphrase,
        a.hashed.as_ref(),
    )?)
}

/// `<community>-<date>.gridledger.json`, or `.gridledger` when encrypted.
fn export_file_name(store: &Store, o: &ExportOptions, encrypted: bool) -> String {
    let office = store.office().ok().flatten();
    let communities = store.communities().unwrap_or_default();
    let name = match o.communities.as_slice() {
        [one] => communities
            .iter()
            .find(|c| c.code == *one)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| one.clone()),
        _ => office
            .map(|o| o.name)
            .unwrap_or_else(|| "gridledger".into()),
    };
    let ext = if encrypted {
        "gridledger"
    } else {
        "gridledger.json"
    };
    let inc = if o.incremental { "-增量" } else { "" };
    // A field bundle and a phone's return bundle say whose they are.
    if let Some(id) = &o.field_staff_id {
        let who = store
            .staff_row(id)
            .ok()
            .flatten()
            .map(|s| s.name)
            .unwrap_or_default();
        return format!("{name}-外勤-{who}-{}.{ext}", store.today());
    }
    if o.returning {
        let info = store.field_info().ok().flatten().unwrap_or_default();
        let hm =
            (store.now_millis() + crate::domain::calendar::CST_OFFSET_MS) % 86_400_000 / 60_000;
        return format!(
            "{name}-送回-{}-{}-{:02}{:02}.{ext}",
            info.staff_name,
            store.today(),
            hm / 60,
            hm % 60
        );
    }
    format!("{name}{inc}-{}.{ext}", store.today())
}

/// The dashboard's figures with its charts drawn (in the reader's language and width).
fn dashboard(
    store: &Store,
    q: &crate::protocol::DashboardQuery,
) -> crate::storage::Result<crate::domain::dashboard::Dashboard> {
    use crate::domain::dashboard::{chart_specs, ChartSvg, ChartWords};
    use crate::i18n::Lang;
    let t0 = clock_ms();
    let mut d = store.dashboard(q)?;
    let lang = if q.lang == "en" { Lang::En } else { Lang::Zh };
    let own = lang.t("dash.own_level");
    for g in d.by_grid.iter_mut().filter(|g| g.name.is_empty()) {
        g.name = own.to_string();
    }
    for k in d.key_by_grid.iter_mut().filter(|k| k.name.is_empty()) {
        k.name = own.to_string();
    }
    let t = move |k: &'static str| lang.t(k);
    let channel = move |c: &str| match lang.t(&format!("case.channel.{c}")) {
        "?" => c.to_string(),
        s => s.to_string(),
    };
    let specs = chart_specs(
        &d,
        &ChartWords {
            t: &t,
            channel: &channel,
        },
    );
    let width = if q.narrow { 360.0 } else { 640.0 };
    d.charts = specs
        .iter()
        .map(|s| ChartSvg {
            id: s.id.to_string(),
            title: s.title.clone(),
            // A chart that cannot be drawn is shown as its title and a note, not an error.
            svg: crate::charts::render(s, width).unwrap_or_default(),
        })
        .collect();
    d.millis = clock_ms() - t0;
    Ok(d)
}

/// A millisecond clock for timings (not for records: those take the store's clock).
fn clock_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::time::{SystemTime, UNIX_EPOCH};
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    }
}

fn store_now(store: &Store) -> i64 {
    let _ = store;
    now_millis()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn now_millis() -> i64 {
    crate::storage::system_now()
}

#[cfg(target_arch = "wasm32")]
pub fn now_millis() -> i64 {
    js_sys::Date::now() as i64
}

pub fn status(store: &Store, open_millis: f64) -> Result<Status, ApiError> {
    Ok(Status {
        storage: StorageState::Ready,
        office: store.office()?,
        device_id: store.device_id().to_string(),
        device_name: store.local("device_name")?.unwrap_or_default(),
        actor: store.actor()?,
        communities: store.communities()?,
        schema_version: migrations::version(store.conn())?,
        open_millis,
        memory_bytes: 0,
        field: store.field_info()?,
    })
}
