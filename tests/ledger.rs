//! Residents' ledgers in and out through the worker's protocol (`worker::handle_with`), on
//! files written by a real spreadsheet program: LibreOffice saved the .xlsx and the GBK .csv
//! under tests/fixtures/ledger (see make.py there).

#![cfg(feature = "store")]

use gridledger::domain::ledger::Cell;
use gridledger::domain::sample::SampleOptions;
use gridledger::protocol::{LedgerDone, LedgerPlan, LedgerSheet, Request, ResidentQuery, Response};
use gridledger::sheet;
use gridledger::storage::Store;
use gridledger::worker::{handle_with, Session};
use std::path::Path;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

static CLOCK: AtomicI64 = AtomicI64::new(1_795_000_000_000);
fn now() -> i64 {
    CLOCK.fetch_add(1000, Ordering::SeqCst)
}
static SEED: AtomicU64 = AtomicU64::new(8100);
const CODE: &str = "410103008005";

fn community() -> Store {
    let mut s = Store::open_in_memory(now, SEED.fetch_add(1, Ordering::SeqCst)).unwrap();
    let mut o = SampleOptions::community(3, now());
    o.households = 30;
    o.cases = 0;
    o.grids = 3;
    s.load_sample(&o).unwrap();
    s
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/ledger")
            .join(name),
    )
    .unwrap()
}

fn call(
    s: &mut Store,
    session: &mut Session,
    req: Request,
    input: Option<Vec<u8>>,
) -> (Response, Option<Vec<u8>>) {
    let (mut reply, out) = handle_with(
        s,
        session,
        req,
        input.map(Into::into),
        [7; 28],
        0.0,
        &mut |_, _, _| {},
    );
    let out = out.map(|o| o.into_bytes(&mut reply));
    (reply.unwrap_or_else(|e| panic!("{e:?}")), out)
}

fn open(s: &mut Store, session: &mut Session, file: &str) -> LedgerSheet {
    match call(
        s,
        session,
        Request::LedgerOpen {
            file_name: file.into(),
            community_code: CODE.into(),
            sheet: None,
            header_line: None,
        },
        Some(fixture(file)),
    )
    .0
    {
        Response::LedgerSheet(x) => *x,
        other => panic!("{other:?}"),
    }
}

fn preview(s: &mut Store, session: &mut Session, mapping: &[String]) -> LedgerPlan {
    match call(
        s,
        session,
        Request::LedgerPreview {
            mapping: mapping.to_vec(),
            default_grid_id: None,
        },
        None,
    )
    .0
    {
        Response::LedgerPlan(p) => *p,
        other => panic!("{other:?}"),
    }
}

fn apply(s: &mut Store, session: &mut Session) -> LedgerDone {
    match call(s, session, Request::LedgerApply, None).0 {
        Response::LedgerDone(d) => d,
        other => panic!("{other:?}"),
    }
}

fn find(s: &Store, text: &str) -> Vec<gridledger::protocol::ResidentRow> {
    s.search_residents(&ResidentQuery {
        community_code: CODE.into(),
        text: text.into(),
        limit: 50,
        ..Default::default()
    })
    .unwrap()
    .rows
}

#[test]
fn an_office_ledger_with_a_title_bad_rows_and_a_footer() {
    let mut s = community();
    let mut session = Session::default();
    let sheet = open(&mut s, &mut session, "永安社区居民台账.xlsx");
    assert_eq!(
        sheet.header_line, 3,
        "the title and the filler line are skipped"
    );
    assert_eq!(
        sheet.mapping,
        [
            "",
            "name",
            "gender",
            "id_number",
            "birth_date",
            "phone",
            "grid",
            "address",
            "",
            "note"
        ],
        "{:?}",
        sheet.headers
    );
    assert_eq!(sheet.headers[8], "重点关注类型");
    assert_eq!(sheet.sample[0][1], "王秀英");

    // The person maps the unguessed column to tags.
    let mut mapping = sheet.mapping.clone();
    mapping[8] = "tags".into();
    let plan = preview(&mut s, &mut session, &mapping);
    assert_eq!(
        (plan.new, plan.update, plan.rejected),
        (10, 0, 5),
        "{plan:#?}"
    );
    assert_eq!(plan.skipped, 3, "a blank row and two footer rows");
    let reasons: Vec<(u32, Vec<&str>)> = plan
        .rejects
        .iter()
        .map(|r| (r.line, r.reasons.iter().map(|x| x.code.as_str()).collect()))
        .collect();
    assert_eq!(
        reasons,
        [
            (14, vec!["id_checksum"]),
            (15, vec!["id_number_lost"]),
            (16, vec!["duplicate_in_file"]),
            (17, vec!["grid_unknown"]),
            (18, vec!["required"]),
        ]
    );
    assert_eq!(plan.rejects[2].reasons[0].arg, "4", "the line it repeats");
    assert_eq!(plan.rejects[3].reasons[0].arg, "第九网格");
    assert_eq!(plan.rejects[0].name, "钱多多");
    // Names lose their alignment spaces; "同上" repeats the row above.
    let zhao = plan.rows.iter().find(|r| r.line == 7).unwrap();
    assert_eq!(zhao.name, "赵磊");
    assert_eq!(zhao.grid, "第一网格/幸福里");
    assert_eq!(zhao.address, "5栋1单元101");
    let liu = plan.rows.iter().find(|r| r.line == 6).unwrap();
    assert_eq!(liu.phone, "0371-65551234");
    assert_eq!(liu.address, "3号楼2单元502");
    assert_eq!(
        plan.rows[0].birth_date, "1944-03-12",
        "a date typed 1944.3.12"
    );

    let done = apply(&mut s, &mut session);
    assert_eq!((done.created, done.updated, done.rejected), (10, 0, 5));
    assert!(done.households_created >= 8, "{done:?}");
    let zhao = &find(&s, "赵磊")[0];
    assert_eq!(zhao.address, "5栋1单元101");
    assert_eq!(
        find(&s, "65551234").len(),
        2,
        "刘德明 and 刘张氏 (同上) share a phone"
    );
    let liu = find(&s, "刘德明");
    let liu_zhang = find(&s, "刘张氏");
    assert_eq!(liu[0].household_id, liu_zhang[0].household_id);
    assert!(
        liu[0].tags.contains(&"残疾人".to_string()),
        "{:?}",
        liu[0].tags
    );
    // Applying twice is refused; previewing again finds them all as updates.
    let (again, _) = handle_with(
        &mut s,
        &mut session,
        Request::LedgerApply,
        None,
        [0; 28],
        0.0,
        &mut |_, _, _| {},
    );
    assert_eq!(again.unwrap_err().code, "ledger_applied");
    let plan = preview(&mut s, &mut session, &mapping);
    assert_eq!((plan.new, plan.update, plan.rejected), (0, 10, 5));

    // The rejects come back as an .xlsx: the file's columns, the line, the reason.
    let (reply, bytes) = call(
        &mut s,
        &mut session,
        Request::LedgerRejects { lang: "zh".into() },
        None,
    );
    let Response::File { file_name, rows } = reply else {
        panic!()
    };
    assert_eq!(file_name, "永安社区居民台账-未导入.xlsx");
    assert_eq!(rows, 5);
    let back = sheet::read(&bytes.unwrap()).unwrap();
    let r = &back[0].rows;
    assert_eq!(r.len(), 6);
    assert_eq!(r[0][10], Cell::text("行号"));
    assert_eq!(r[0][11], Cell::text("原因"));
    assert_eq!(r[1][1], Cell::text("钱多多"));
    assert_eq!(r[1][10], Cell::text("14"));
    assert!(
        r[1][11].as_text().starts_with("身份证号："),
        "{:?}",
        r[1][11]
    );
    assert!(r[4][11].as_text().contains("第九网格"), "{:?}", r[4][11]);
}

#[test]
fn a_roster_with_a_notes_sheet_and_a_two_row_header_and_its_gbk_csv() {
    for file in ["永安社区花名册.xlsx", "永安社区花名册-GBK.csv"] {
        let mut s = community();
        let mut session = Session::default();
        let sheet = open(&mut s, &mut session, file);
        if file.ends_with(".xlsx") {
            assert_eq!(sheet.sheets, ["说明", "花名册"]);
            assert_eq!(sheet.sheet, 1, "the sheet with a header row");
        }
        assert_eq!(sheet.header_line, 2, "{file}: the lower header row");
        assert_eq!(
            sheet.mapping,
            [
                "name",
                "id_number",
                "relation",
                "building",
                "unit",
                "room",
                "grid",
                "phone",
                "tags",
                "birth_date"
            ],
            "{file}: {:?}",
            sheet.headers
        );
        let plan = preview(&mut s, &mut session, &sheet.mapping);
        assert_eq!((plan.new, plan.rejected), (5, 0), "{file}: {plan:#?}");
        assert_eq!(plan.rows[0].address, "7号楼1单元101");
        assert_eq!(plan.rows[2].tags, ["独居老人", "空巢老人"]);
        assert_eq!(plan.rows[4].name, "林静");
        assert_eq!(plan.rows[4].birth_date, "1980-07-30");
        let done = apply(&mut s, &mut session);
        assert_eq!(done.created, 5);
        assert_eq!(done.households_created, 3, "{file}");
        let ma = find(&s, "马");
        let (a, b) = (
            ma.iter().find(|r| r.name == "马建华").unwrap(),
            ma.iter().find(|r| r.name == "马晓燕").unwrap(),
        );
        assert_eq!(
            a.household_id, b.household_id,
            "one household from one address"
        );
    }
}

#[test]
fn a_row_whose_id_number_exists_updates_that_resident() {
    let mut s = community();
    let mut session = Session::default();
    let sheet = open(&mut s, &mut session, "永安社区花名册.xlsx");
    preview(&mut s, &mut session, &sheet.mapping);
    apply(&mut s, &mut session);
    let before = find(&s, "高玉珍")[0].clone();
    // The same person in a CSV with a new phone, no grid cell (the default grid is used for
    // new rows only) and an empty tags cell (tags are kept).
    let csv =
        "姓名,身份证号,手机,标签\n高玉珍,410105194109094226,13699998888,\n新来的,,13699997777,\n";
    let (reply, _) = call(
        &mut s,
        &mut session,
        Request::LedgerOpen {
            file_name: "更新.csv".into(),
            community_code: CODE.into(),
            sheet: None,
            header_line: None,
        },
        Some(csv.as_bytes().to_vec()),
    );
    let Response::LedgerSheet(sh) = reply else {
        panic!()
    };
    // Without a grid column a default grid is needed.
    let (missing, _) = handle_with(
        &mut s,
        &mut session,
        Request::LedgerPreview {
            mapping: sh.mapping.clone(),
            default_grid_id: None,
        },
        None,
        [0; 28],
        0.0,
        &mut |_, _, _| {},
    );
    assert_eq!(missing.unwrap_err().fields[0].code, "grid_unmapped");
    let other_grid = s
        .grid_tree(CODE)
        .unwrap()
        .nodes
        .iter()
        .find(|n| n.level == 1 && n.id != before.grid_id)
        .map(|n| n.id.clone())
        .unwrap();
    let (reply, _) = call(
        &mut s,
        &mut session,
        Request::LedgerPreview {
            mapping: sh.mapping.clone(),
            default_grid_id: Some(other_grid),
        },
        None,
    );
    let Response::LedgerPlan(plan) = reply else {
        panic!()
    };
    assert_eq!(
        (plan.new, plan.update, plan.rejected),
        (0, 1, 1),
        "{plan:#?}"
    );
    assert_eq!(
        plan.rejects[0].reasons[0].code, "required",
        "新来的 has no birth date"
    );
    apply(&mut s, &mut session);
    let after = find(&s, "高玉珍");
    assert_eq!(after.len(), 1, "updated, not duplicated");
    assert_eq!(after[0].phone, "13699998888");
    assert_eq!(
        after[0].grid_id, before.grid_id,
        "no grid cell: the grid stays"
    );
    assert_eq!(after[0].household_id, before.household_id);
    assert_eq!(after[0].tags, before.tags);
}

#[test]
fn an_exported_list_imports_back_as_updates_and_masks_on_request() {
    let mut s = community();
    let mut session = Session::default();
    let query = ResidentQuery {
        community_code: CODE.into(),
        ..Default::default()
    };
    let total = s.search_residents(&ResidentQuery {
        limit: 1,
        ..query.clone()
    });
    let total = total.unwrap().total;
    let (reply, bytes) = call(
        &mut s,
        &mut session,
        Request::ExportResidents {
            query: query.clone(),
            mask: vec![],
        },
        None,
    );
    let Response::File { rows, file_name } = reply else {
        panic!()
    };
    assert_eq!(rows, total);
    assert!(file_name.ends_with(".xlsx"), "{file_name}");
    let bytes = bytes.unwrap();
    let (reply, _) = call(
        &mut s,
        &mut session,
        Request::LedgerOpen {
            file_name,
            community_code: CODE.into(),
            sheet: None,
            header_line: None,
        },
        Some(bytes),
    );
    let Response::LedgerSheet(sh) = reply else {
        panic!()
    };
    assert_eq!(sh.header_line, 1);
    assert!(!sh.mapping.contains(&String::new()), "{:?}", sh.headers);
    let plan = preview(&mut s, &mut session, &sh.mapping);
    assert_eq!(
        (plan.new, plan.update as u64, plan.rejected),
        (0, total, 0),
        "{:#?}",
        plan.rejects.first()
    );

    let (_, masked) = call(
        &mut s,
        &mut session,
        Request::ExportResidents {
            query,
            mask: vec!["id_number".into(), "phone".into(), "name".into()],
        },
        None,
    );
    let rows = sheet::read(&masked.unwrap()).unwrap().remove(0).rows;
    let with_id = rows[1..]
        .iter()
        .find(|r| !r[3].is_blank())
        .expect("a resident with an ID number");
    let id = with_id[3].as_text();
    assert!(id.contains("**********") && id.len() == 18, "{id}");
    assert!(with_id[0].as_text().contains('*'));
    assert!(rows[1..]
        .iter()
        .all(|r| r[4].is_blank() || r[4].as_text().contains("****")));
}

#[test]
fn a_household_register_with_merged_cells_partial_dates_and_none_marks() {
    // The same register as .xlsx and as an old .xls (both saved by LibreOffice).
    for file in ["永安社区户籍台账.xlsx", "永安社区户籍台账.xls"] {
        household_register(file);
    }
}

fn household_register(file: &str) {
    let mut s = community();
    let mut session = Session::default();
    let sheet = open(&mut s, &mut session, file);
    assert_eq!(sheet.header_line, 1);
    assert_eq!(
        sheet.mapping,
        [
            "",
            "address",
            "grid",
            "name",
            "relation",
            "id_number",
            "birth_date",
            "phone"
        ],
        "{:?}",
        sheet.headers
    );
    let plan = preview(&mut s, &mut session, &sheet.mapping);
    assert_eq!((plan.new, plan.rejected), (6, 0), "{:#?}", plan.rejects);
    // The household's merged address, grid and phone reach every member's row.
    let wife = plan.rows.iter().find(|r| r.name == "郭王氏").unwrap();
    assert_eq!(wife.address, "6号楼1单元101");
    assert_eq!(wife.phone, "13700001111");
    assert_eq!(wife.birth_date, "1960-09-18", "from the ID number");
    // "1958.04" agrees with the ID number, which gives the day; "无" is no phone.
    let head = plan.rows.iter().find(|r| r.name == "郭建设").unwrap();
    assert_eq!(head.birth_date, "1958-04-12");
    let han = plan.rows.iter().find(|r| r.name == "韩桂英").unwrap();
    assert_eq!(han.phone, "");
    assert_eq!(han.birth_date, "1942-07-07");
    // Full-width digits in an ID number.
    let xie = plan.rows.iter().find(|r| r.name == "谢天明").unwrap();
    assert!(
        xie.id_number.starts_with("410105197503"),
        "{}",
        xie.id_number
    );
    let done = apply(&mut s, &mut session);
    assert_eq!((done.created, done.households_created), (6, 3));
    let guo = find(&s, "郭");
    let homes: std::collections::HashSet<&str> = guo
        .iter()
        .filter(|r| ["郭建设", "郭王氏", "郭晓雨"].contains(&r.name.as_str()))
        .map(|r| r.household_id.as_str())
        .collect();
    assert_eq!(homes.len(), 1, "one household for the family");
}
