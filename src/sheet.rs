//! Spreadsheet files in and out, in the worker: a ledger file (.xlsx, .xls, .ods, or .csv in
//! UTF-8, UTF-16 or GBK) read into rows of [`Cell`]s, and a table written as an .xlsx with
//! Chinese headers. What the cells mean is `domain::ledger`'s business.

use crate::domain::ledger::Cell;
use calamine::{Data, Reader};
use std::io::Cursor;

/// Limits against hostile or mistaken files (a whole census in one sheet is still welcome).
pub const MAX_ROWS: usize = 300_000;
pub const MAX_COLUMNS: usize = 200;
pub const MAX_BYTES: usize = crate::domain::ledger::MAX_FILE_BYTES;

/// One sheet: its name and its rows from the first row of the sheet (row 0 is line 1), so
/// line numbers match what the spreadsheet program shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetError {
    /// Not a spreadsheet or text table this reads (message for the log).
    Unreadable(String),
    /// The workbook has no sheet with any cell.
    Empty,
    TooLarge,
    /// Text that is neither UTF-8, UTF-16 nor GBK.
    Encoding,
}

impl SheetError {
    pub fn code(&self) -> &'static str {
        match self {
            SheetError::Unreadable(_) => "sheet_unreadable",
            SheetError::Empty => "sheet_empty",
            SheetError::TooLarge => "sheet_too_large",
            SheetError::Encoding => "sheet_encoding",
        }
    }
}

fn is_zip(b: &[u8]) -> bool {
    b.starts_with(b"PK\x03\x04")
}

fn is_ole(b: &[u8]) -> bool {
    b.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Reads every sheet of a workbook, or the one table of a CSV/TSV file.
pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>, SheetError> {
    if bytes.len() > MAX_BYTES {
        return Err(SheetError::TooLarge);
    }
    let sheets = if is_zip(bytes) || is_ole(bytes) {
        read_workbook(bytes)?
    } else {
        vec![Sheet {
            name: String::new(),
            rows: read_csv(&decode_text(bytes)?)?,
        }]
    };
    let sheets: Vec<Sheet> = sheets
        .into_iter()
        .filter(|s| s.rows.iter().any(|r| r.iter().any(|c| !c.is_blank())))
        .collect();
    if sheets.is_empty() {
        return Err(SheetError::Empty);
    }
    Ok(sheets)
}

fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, SheetError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let names = book.sheet_names();
    let mut out = Vec::new();
    let mut total = 0usize;
    for name in names {
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            // A chart sheet or a broken one among good ones: skip it.
            Err(_) => continue,
        };
        let (top, left) = range.start().unwrap_or((0, 0));
        let (top, left) = (top as usize, left as usize);
        if left + range.width() > MAX_COLUMNS * 4 {
            return Err(SheetError::TooLarge);
        }
        total += top + range.height();
        if total > MAX_ROWS {
            return Err(SheetError::TooLarge);
        }
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); top];
        for r in range.rows() {
            let mut row: Vec<Cell> = vec![Cell::Empty; left];
            row.extend(r.iter().map(cell));
            while row.last().is_some_and(Cell::is_blank) {
                row.pop();
            }
            row.truncate(MAX_COLUMNS);
            rows.push(row);
        }
        // Merged cells hold their value in the top-left cell only; offices merge a household's
        // address or phone down its members' rows, so the value fills the whole region.
        let merges: Vec<calamine::Dimensions> = match &mut book {
            calamine::Sheets::Xlsx(x) => x
                .worksheet_merge_cells(&name)
                .and_then(|r| r.ok())
                .unwrap_or_default(),
            calamine::Sheets::Xls(x) => x.worksheet_merge_cells(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        fill_merged(&mut rows, &merges);
        while rows.last().is_some_and(|r| r.is_empty()) {
            rows.pop();
        }
        out.push(Sheet { name, rows });
    }
    Ok(out)
}

/// Copies each merged region's value into its empty cells (regions of a sane size only).
fn fill_merged(rows: &mut [Vec<Cell>], merges: &[calamine::Dimensions]) {
    for m in merges {
        let (r0, c0) = (m.start.0 as usize, m.start.1 as usize);
        let (r1, c1) = (m.end.0 as usize, m.end.1 as usize);
        if r1 < r0 || c1 < c0 || (r1 - r0 + 1) * (c1 - c0 + 1) > 10_000 || c1 >= MAX_COLUMNS {
            continue;
        }
        let Some(value) = rows.get(r0).and_then(|r| r.get(c0)).cloned() else {
            continue;
        };
        if value.is_blank() {
            continue;
        }
        for row in rows.iter_mut().take(r1 + 1).skip(r0) {
            if row.len() <= c1 {
                row.resize(c1 + 1, Cell::Empty);
            }
            for c in row.iter_mut().take(c1 + 1).skip(c0) {
                if c.is_blank() {
                    *c = value.clone();
                }
            }
        }
    }
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
        Data::DateTime(d) => {
            if d.is_datetime() {
                Cell::Date(d.as_f64())
            } else {
                // A duration: a number of days, not a date.
                Cell::Number(d.as_f64())
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(_) => Cell::Empty,
    }
}

/// Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of
/// GBK, what Excel on a Chinese Windows writes as "CSV").
pub fn decode_text(bytes: &[u8]) -> Result<String, SheetError> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(SheetError::Encoding);
        }
        return Ok(text.into_owned());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors || text.contains('\0') {
        return Err(SheetError::Encoding);
    }
    Ok(text.into_owned())
}

/// The delimiter of a text table: the one of tab, comma, semicolon that splits the first
/// non-empty line most.
fn delimiter(text: &str) -> u8 {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    [b'\t', b',', b';']
        .into_iter()
        .max_by_key(|d| line.bytes().filter(|b| b == d).count())
        .filter(|d| line.as_bytes().contains(d))
        .unwrap_or(b',')
}

fn read_csv(text: &str) -> Result<Vec<Vec<Cell>>, SheetError> {
    if text.contains('\0') {
        return Err(SheetError::Unreadable("binary data".into()));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| SheetError::Unreadable(e.to_string()))?;
        if rows.len() >= MAX_ROWS {
            return Err(SheetError::TooLarge);
        }
        let mut row: Vec<Cell> = rec
            .iter()
            .take(MAX_COLUMNS)
            .map(|s| {
                if s.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(s.to_string())
                }
            })
            .collect();
        while row.last().is_some_and(Cell::is_blank) {
            row.pop();
        }
        rows.push(row);
    }
    Ok(rows)
}

/// A table to write: headers and rows of text (ID numbers and phones stay text, never
/// numbers Excel would round).
pub struct Table<'a> {
    pub sheet_name: &'a str,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Column widths in characters (one per header; missing ones are guessed).
    pub widths: Vec<f64>,
}

/// Writes an .xlsx: a bold frozen header row, every cell as text.
pub fn write_xlsx(t: &Table) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, FormatBorder, Workbook};
    let mut book = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color(0xE8EEF7)
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    let name: String = t
        .sheet_name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if !name.is_empty() {
        sheet.set_name(name).map_err(|e| e.to_string())?;
    }
    for (c, h) in t.headers.iter().enumerate() {
        let c = c as u16;
        sheet
            .write_string_with_format(0, c, h, &head)
            .map_err(|e| e.to_string())?;
        let width = t.widths.get(c as usize).copied().unwrap_or_else(|| {
            let longest = t
                .rows
                .iter()
                .take(200)
                .filter_map(|r| r.get(c as usize))
                .map(|s| display_width(s))
                .chain([display_width(h)])
                .max()
                .unwrap_or(8);
            (longest as f64 + 2.0).clamp(6.0, 60.0)
        });
        sheet
            .set_column_width(c, width)
            .map_err(|e| e.to_string())?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = (r + 1) as u32;
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet
                    .write_string_with_format(r, c as u16, v, &text)
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    book.save_to_buffer().map_err(|e| e.to_string())
}

/// Width in Latin characters: CJK characters count two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_and_utf8_csv_read_the_same() {
        let text = "姓名,身份证号,联系电话\n张三,11010519491231002X,13812345678\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let utf8 = read(text.as_bytes()).unwrap();
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(read(&gbk).unwrap(), utf8);
        assert_eq!(read(&bom).unwrap(), utf8);
        assert_eq!(utf8[0].rows[1][0], Cell::text("张三"));
        let tsv = text.replace(',', "\t");
        assert_eq!(read(tsv.as_bytes()).unwrap(), utf8);
    }

    #[test]
    fn an_xlsx_written_reads_back() {
        let bytes = write_xlsx(&Table {
            sheet_name: "居民",
            headers: vec!["姓名".into(), "身份证号".into()],
            rows: vec![vec!["张三".into(), "11010519491231002X".into()]],
            widths: vec![],
        })
        .unwrap();
        let sheets = read(&bytes).unwrap();
        assert_eq!(sheets[0].name, "居民");
        assert_eq!(
            sheets[0].rows,
            vec![
                vec![Cell::text("姓名"), Cell::text("身份证号")],
                vec![Cell::text("张三"), Cell::text("11010519491231002X")],
            ]
        );
    }

    #[test]
    fn garbage_is_refused_plainly() {
        assert_eq!(read(b"").unwrap_err(), SheetError::Empty);
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend([0u8; 64]);
        assert!(matches!(read(&zip), Err(SheetError::Unreadable(_))));
        assert_eq!(
            read(&[0xFF, 0xFF, 0x00, 0x81]).unwrap_err().code(),
            "sheet_encoding"
        );
    }
}
