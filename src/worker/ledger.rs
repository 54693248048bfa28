//! The ledger import's steps in the worker: read a spreadsheet, guess its mapping, plan with
//! the person's mapping, apply, hand back the rejected rows; and resident lists as .xlsx.

use crate::domain::bundle::tables::{mask_if as masked, Mask};
use crate::domain::ledger::{self, Cell, Field, Mapping, Plan};
use crate::i18n::Lang;
use crate::protocol::{
    ApiError, FieldError, LedgerPlan, LedgerReason, LedgerReject, LedgerRow, LedgerSheet, Reply,
    Request, Response,
};
use crate::sheet::{self, Sheet, Table};
use crate::storage::ledger::ExportMask;
use crate::storage::Store;

/// A spreadsheet being imported: what was read, and the last plan made from it.
pub struct LedgerSession {
    file_name: String,
    community_code: String,
    sheets: Vec<Sheet>,
    sheet: usize,
    /// The header row (0-based index into the sheet's rows).
    header_at: usize,
    headers: Vec<String>,
    plan: Option<Plan>,
    applied: bool,
}

impl LedgerSession {
    fn rows(&self) -> &[Vec<Cell>] {
        &self.sheets[self.sheet].rows
    }

    /// Data rows (below the header) with their line numbers.
    fn data(&self) -> Vec<(u32, Vec<Cell>)> {
        self.rows()
            .iter()
            .enumerate()
            .skip(self.header_at + 1)
            .map(|(i, r)| (i as u32 + 1, r.clone()))
            .collect()
    }
}

const REJECTS_SHOWN: usize = 2_000;
const ROWS_SHOWN: usize = 20;

fn invalid(field: &str, code: &str) -> ApiError {
    ApiError::invalid(vec![FieldError {
        field: field.into(),
        code: code.into(),
    }])
}

pub fn handle(
    store: &mut Store,
    slot: &mut Option<Box<LedgerSession>>,
    req: Request,
    input: Option<Vec<u8>>,
    progress: &mut dyn FnMut(&str, u64, u64),
) -> (Reply, Option<Vec<u8>>) {
    use Request as Q;
    use Response as R;
    match req {
        Q::LedgerOpen {
            file_name,
            community_code,
            sheet,
            header_line,
        } => {
            if let Some(bytes) = input {
                *slot = None;
                progress("ledger_read", 0, 0);
                let sheets = match sheet::read(&bytes) {
                    Ok(s) => s,
                    Err(e) => {
                        let detail = match &e {
                            sheet::SheetError::Unreadable(m) => m.clone(),
                            _ => String::new(),
                        };
                        return (Err(ApiError::new(e.code(), detail)), None);
                    }
                };
                *slot = Some(Box::new(LedgerSession {
                    file_name,
                    community_code: community_code.clone(),
                    sheets,
                    sheet: 0,
                    header_at: 0,
                    headers: Vec::new(),
                    plan: None,
                    applied: false,
                }));
            }
            let Some(s) = slot.as_mut() else {
                return (Err(ApiError::new("ledger_none", "")), None);
            };
            if !community_code.is_empty() {
                s.community_code = community_code;
            }
            s.plan = None;
            s.applied = false;
            // The sheet asked for, or the first that has a header row.
            s.sheet = match sheet {
                Some(i) if (i as usize) < s.sheets.len() => i as usize,
                _ => s
                    .sheets
                    .iter()
                    .position(|sh| ledger::find_header_row(&sh.rows).is_some())
                    .unwrap_or(0),
            };
            s.header_at = {
                let rows = s.rows();
                match header_line {
                    Some(l) if l >= 1 && (l as usize) <= rows.len() => l as usize - 1,
                    _ => ledger::find_header_row(rows).unwrap_or(0),
                }
            };
            let rows = s.rows();
            let headers = ledger::header_texts(rows, s.header_at);
            let mapping = ledger::guess_mapping(&headers)
                .into_iter()
                .map(|f| f.map(|f| f.code().to_string()).unwrap_or_default())
                .collect();
            let sample = rows
                .iter()
                .skip(s.header_at + 1)
                .filter(|r| r.iter().any(|c| !c.is_blank()))
                .take(5)
                .map(|r| {
                    (0..headers.len())
                        .map(|c| r.get(c).map(Cell::as_text).unwrap_or_default())
                        .collect()
                })
                .collect();
            let data_rows = rows.len().saturating_sub(s.header_at + 1) as u32;
            let sample: Vec<Vec<String>> = sample;
            s.headers = headers.clone();
            let reply = LedgerSheet {
                file_name: s.file_name.clone(),
                sheets: s.sheets.iter().map(|x| x.name.clone()).collect(),
                sheet: s.sheet as u32,
                header_line: s.header_at as u32 + 1,
                headers,
                mapping,
                sample,
                data_rows,
            };
            (Ok(R::LedgerSheet(Box::new(reply))), None)
        }
        Q::LedgerPreview {
            mapping,
            default_grid_id,
        } => {
            let Some(s) = slot.as_mut() else {
                return (Err(ApiError::new("ledger_none", "")), None);
            };
            s.plan = None;
            s.applied = false;
            let mut per_column = Vec::with_capacity(mapping.len());
            for code in &mapping {
                if code.is_empty() {
                    per_column.push(None);
                } else {
                    match Field::from_code(code) {
                        Some(f) => per_column.push(Some(f)),
                        None => return (Err(invalid("mapping", "unknown")), None),
                    }
                }
            }
            let m = Mapping::new(&per_column);
            if !m.has(Field::Name) {
                return (Err(invalid("mapping", "name_unmapped")), None);
            }
            if !m.has(Field::Grid) && default_grid_id.as_deref().unwrap_or("").is_empty() {
                return (Err(invalid("default_grid", "grid_unmapped")), None);
            }
            progress("ledger_check", 0, 0);
            let data = s.data();
            let plan = match store.plan_ledger(
                &s.community_code,
                &data,
                &s.headers,
                &m,
                default_grid_id.as_deref(),
            ) {
                Ok(p) => p,
                Err(e) => return (Err(e.into()), None),
            };
            let reply = describe(store, s, &m, &plan, &data);
            s.plan = Some(plan);
            (reply.map(|p| R::LedgerPlan(Box::new(p))), None)
        }
        Q::LedgerApply => {
            let Some(s) = slot.as_mut() else {
                return (Err(ApiError::new("ledger_none", "")), None);
            };
            if s.applied {
                return (Err(ApiError::new("ledger_applied", "")), None);
            }
            let Some(plan) = s.plan.as_ref() else {
                return (Err(ApiError::new("ledger_no_plan", "")), None);
            };
            let t0 = super::now_millis();
            let code = s.community_code.clone();
            let reply = store
                .apply_ledger(&code, plan, &mut |done, total| {
                    progress("ledger_write", done, total)
                })
                .map(|mut d| {
                    d.rejected = plan.rejected.len() as u32;
                    d.millis = (super::now_millis() - t0) as f64;
                    R::LedgerDone(d)
                })
                .map_err(ApiError::from);
            if reply.is_ok() {
                s.applied = true;
            }
            (reply, None)
        }
        Q::LedgerRejects { lang } => {
            let Some(s) = slot.as_ref() else {
                return (Err(ApiError::new("ledger_none", "")), None);
            };
            let Some(plan) = s.plan.as_ref() else {
                return (Err(ApiError::new("ledger_no_plan", "")), None);
            };
            let lang = if lang == "en" { Lang::En } else { Lang::Zh };
            let rows = s.rows();
            let width = s.headers.len();
            let mut headers: Vec<String> = s
                .headers
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    if h.is_empty() {
                        format!("{}{}", lang.t("ledger.column"), i + 1)
                    } else {
                        h.clone()
                    }
                })
                .collect();
            headers.push(lang.t("ledger.line").into());
            headers.push(lang.t("ledger.reason").into());
            let out: Vec<Vec<String>> = plan
                .rejected
                .iter()
                .map(|r| {
                    let cells = rows.get(s.header_at + 1 + r.index);
                    let mut line: Vec<String> = (0..width)
                        .map(|c| {
                            cells
                                .and_then(|x| x.get(c))
                                .map(Cell::as_text)
                                .unwrap_or_default()
                        })
                        .collect();
                    line.push(r.line.to_string());
                    line.push(
                        r.reasons
                            .iter()
                            .map(|x| lang.ledger_reason(x.field, x.code, &x.arg))
                            .collect::<Vec<_>>()
                            .join("；"),
                    );
                    line
                })
                .collect();
            let n = out.len() as u64;
            let table = Table {
                sheet_name: lang.t("ledger.rejects_sheet"),
                headers,
                rows: out,
                widths: Vec::new(),
            };
            match sheet::write_xlsx(&table) {
                Ok(bytes) => {
                    let stem = s
                        .file_name
                        .rsplit_once('.')
                        .map(|(a, _)| a)
                        .unwrap_or(&s.file_name);
                    (
                        Ok(R::File {
                            file_name: format!("{stem}-{}.xlsx", lang.t("ledger.rejects_sheet")),
                            rows: n,
                        }),
                        Some(bytes),
                    )
                }
                Err(e) => (Err(ApiError::new("xlsx", e)), None),
            }
        }
        Q::LedgerCancel => {
            *slot = None;
            (Ok(R::Done), None)
        }
        Q::ExportResidents { query, mask } => {
            progress("export_residents", 0, 0);
            let m = ExportMask {
                name: mask.iter().any(|x| x == "name"),
                id_number: mask.iter().any(|x| x == "id_number"),
                phone: mask.iter().any(|x| x == "phone"),
            };
            let table = match store.export_residents(&query, m) {
                Ok(t) => t,
                Err(e) => return (Err(e.into()), None),
            };
            let n = table.rows.len() as u64;
            let name = if query.community_code.is_empty() {
                "街道".to_string()
            } else {
                store
                    .communities()
                    .ok()
                    .and_then(|cs| {
                        cs.into_iter()
                            .find(|c| c.code == query.community_code)
                            .map(|c| c.name)
                    })
                    .unwrap_or_default()
            };
            let masked = if mask.is_empty() { "" } else { "-脱敏" };
            let file_name = format!("{name}居民{masked}-{}.xlsx", store.today());
            match sheet::write_xlsx(&Table {
                sheet_name: "居民",
                headers: table.headers,
                rows: table.rows,
                widths: Vec::new(),
            }) {
                Ok(bytes) => (Ok(R::File { file_name, rows: n }), Some(bytes)),
                Err(e) => (Err(ApiError::new("xlsx", e)), None),
            }
        }
        Q::ExportCare { query: mut q, mask } => {
            q.offset = 0;
            let name_mask = mask.iter().any(|m| m == "name");
            let phone_mask = mask.iter().any(|m| m == "phone");
            let page = match store.care_list_all(&q) {
                Ok(p) => p,
                Err(e) => return (Err(e.into()), None),
            };
            let headers = [
                "姓名",
                "性别",
                "出生日期",
                "联系电话",
                "所属网格",
                "住址",
                "标签",
                "网格员",
                "结对党员",
                "走访周期（天）",
                "上次走访",
                "应走访日期",
                "状态",
            ];
            let rows: Vec<Vec<String>> = page
                .iter()
                .map(|r| {
                    vec![
                        masked(name_mask, Mask::Name, &r.name),
                        if r.gender == "M" { "男" } else { "女" }.into(),
                        r.birth_date.clone(),
                        masked(phone_mask, Mask::Phone, &r.phone),
                        r.grid_name.clone(),
                        r.address.clone(),
                        r.tags.join("、"),
                        r.worker_name.clone(),
                        r.party_member_name.clone(),
                        r.cadence.to_string(),
                        r.last_visit.clone(),
                        r.due_date.clone(),
                        match r.state.as_str() {
                            "overdue" => format!("逾期{}天", r.overdue_days),
                            "soon" => "即将到期".into(),
                            _ => "正常".into(),
                        },
                    ]
                })
                .collect();
            xlsx_reply(
                format!(
                    "重点人群走访{}-{}.xlsx",
                    if mask.is_empty() { "" } else { "-脱敏" },
                    store.today()
                ),
                "重点人群",
                &headers,
                rows,
            )
        }
        Q::ListVisits(q) => {
            let name_mask = q.mask.iter().any(|m| m == "name");
            let page = match store.list_visits(&q) {
                Ok(p) => p,
                Err(e) => return (Err(e.into()), None),
            };
            let headers = [
                "走访日期",
                "居民",
                "所属网格",
                "走访人",
                "情况",
                "发现的需求",
                "备注",
                "转为事件",
                "转为微心愿",
            ];
            let rows: Vec<Vec<String>> = page
                .rows
                .into_iter()
                .map(|v| {
                    vec![
                        v.visit_date,
                        masked(name_mask, Mask::Name, &v.resident_name),
                        v.grid_name,
                        v.visitor_name,
                        Lang::Zh
                            .t(&format!("care.condition_{}", v.condition))
                            .into(),
                        v.needs,
                        v.note,
                        if v.case_id.is_empty() { "" } else { "是" }.into(),
                        if v.wish_id.is_empty() { "" } else { "是" }.into(),
                    ]
                })
                .collect();
            xlsx_reply(
                format!("走访记录-{}.xlsx", store.today()),
                "走访记录",
                &headers,
                rows,
            )
        }
        _ => (
            Err(ApiError::new("bad_request", "not a ledger request")),
            None,
        ),
    }
}

/// The plan as the preview shows it.
fn describe(
    store: &Store,
    s: &LedgerSession,
    m: &Mapping,
    plan: &Plan,
    data: &[(u32, Vec<Cell>)],
) -> Result<LedgerPlan, ApiError> {
    let grids = store.grid_index(&s.community_code)?;
    let known: Vec<String> = store
        .list_tags(&s.community_code)?
        .into_iter()
        .map(|t| t.name)
        .collect();
    let mut new_tags: Vec<String> = Vec::new();
    for r in &plan.rows {
        for t in &r.tags {
            if !known.contains(t) && !new_tags.contains(t) {
                new_tags.push(t.clone());
            }
        }
    }
    // The row's cell as written, for recognising a rejected row.
    let mapping_name = |index: usize, f: Field| -> String {
        m.column(f)
            .and_then(|c| data.get(index).and_then(|(_, r)| r.get(c)))
            .map(Cell::as_text)
            .unwrap_or_default()
    };
    Ok(LedgerPlan {
        new: plan.new_count() as u32,
        update: plan.update_count() as u32,
        rejected: plan.rejected.len() as u32,
        skipped: plan.skipped,
        rows: plan
            .rows
            .iter()
            .take(ROWS_SHOWN)
            .map(|r| LedgerRow {
                line: r.line,
                existing: r.existing.clone().unwrap_or_default(),
                name: r.resident.name.clone(),
                gender: r.resident.gender.code().into(),
                birth_date: r.resident.birth_date.to_string(),
                id_number: r.resident.id_number.clone().unwrap_or_default(),
                phone: r.resident.phone.clone().unwrap_or_default(),
                grid: grids.path(&r.grid_id),
                address: r
                    .household
                    .as_ref()
                    .map(|(b, u, x)| format!("{b}{u}{x}"))
                    .unwrap_or_default(),
                tags: r.tags.clone(),
            })
            .collect(),
        rejects: plan
            .rejected
            .iter()
            .take(REJECTS_SHOWN)
            .map(|r| LedgerReject {
                line: r.line,
                name: mapping_name(r.index, Field::Name),
                id_number: mapping_name(r.index, Field::IdNumber),
                reasons: r
                    .reasons
                    .iter()
                    .map(|x| LedgerReason {
                        field: x.field.into(),
                        code: x.code.into(),
                        arg: x.arg.clone(),
                    })
                    .collect(),
            })
            .collect(),
        new_tags,
    })
}

fn xlsx_reply(
    file_name: String,
    sheet_name: &str,
    headers: &[&str],
    rows: Vec<Vec<String>>,
) -> (Reply, Option<Vec<u8>>) {
    let n = rows.len() as u64;
    match sheet::write_xlsx(&Table {
        sheet_name,
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
        widths: Vec::new(),
    }) {
        Ok(bytes) => (Ok(Response::File { file_name, rows: n }), Some(bytes)),
        Err(e) => (Err(ApiError::new("xlsx", e)), None),
    }
}
