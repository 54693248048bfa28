//! Every user-visible string, in Chinese (zh-CN, the default) and English. Pages ask for text by
//! key; error and problem codes from the worker are keys too (`err.*`, `problem.*`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

#[cfg(target_arch = "wasm32")]
const LANG_KEY: &str = "gridledger.lang";

impl Lang {
    /// The language remembered on this device (a UI preference, not ledger data).
    #[cfg(target_arch = "wasm32")]
    pub fn load() -> Lang {
        use gloo::storage::{LocalStorage, Storage};
        match LocalStorage::get::<String>(LANG_KEY).ok().as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }
    #[cfg(target_arch = "wasm32")]
    pub fn save(self) {
        use gloo::storage::{LocalStorage, Storage};
        let _ = LocalStorage::set(LANG_KEY, if self == Lang::En { "en" } else { "zh-CN" });
    }
    pub fn html_lang(self) -> &'static str {
        if self == Lang::En {
            "en"
        } else {
            "zh-CN"
        }
    }

    pub fn t(self, key: &str) -> &'static str {
        self.try_t(key).unwrap_or("?")
    }

    /// The text of `key`, if the table has it.
    pub fn try_t(self, key: &str) -> Option<&'static str> {
        lookup(key).map(|(zh, en)| if self == Lang::En { en } else { zh })
    }

    /// Text for an error code from the worker.
    pub fn error(self, code: &str) -> String {
        match self.try_t(&format!("err.{code}")) {
            Some(text) => text.to_string(),
            None => format!("{} ({code})", self.t("err.unknown")),
        }
    }

    /// Why a ledger row was refused, as a phrase: "身份证号：校验位不正确，请核对号码".
    pub fn ledger_reason(self, field: &str, code: &str, arg: &str) -> String {
        let label = match field {
            "grid_id" | "grid" => "field.grid",
            "name" => "field.name",
            "gender" => "field.gender",
            "birth_date" => "field.birth_date",
            "id_number" => "field.id_number",
            "phone" => "field.phone",
            "building" => "field.building",
            "unit" => "field.unit",
            "room" => "field.room",
            "address" => "field.address",
            "tags" => "field.tags",
            _ => "",
        };
        let text = self.problem(code).replace("{arg}", arg);
        if label.is_empty() {
            text
        } else {
            let sep = if self == Lang::En { ": " } else { "：" };
            format!("{}{sep}{text}", self.t(label))
        }
    }

    /// Text for a field problem code.
    pub fn problem(self, code: &str) -> String {
        let key = format!("problem.{code}");
        if lookup(&key).is_some() {
            self.t(&key).to_string()
        } else {
            code.to_string()
        }
    }
}

/// The table's entries by key, made on first use. (A `match` over a thousand string keys
/// compiled to ~60 KB of comparisons in the app's wasm; a static array and a hash map are
/// data plus one small function.)
fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static INDEX: OnceLock<HashMap<&'static str, (&'static str, &'static str)>> = OnceLock::new();
    INDEX
        .get_or_init(|| TABLE.iter().map(|&(k, zh, en)| (k, (zh, en))).collect())
        .get(key)
        .copied()
}

macro_rules! table {
    ($($k:literal => $zh:literal, $en:literal;)*) => {
        static TABLE: &[(&str, &str, &str)] = &[$(($k, $zh, $en)),*];
        #[allow(dead_code)]
        pub const KEYS: &[&str] = &[$($k),*];
    };
}

table! {
    "app.name" => "网格台账", "GridLedger";
    "app.tagline" => "社区网格化治理台账 · 数据只保存在本机浏览器", "Grid governance ledgers · data stays in this browser";
    "app.loading" => "正在打开本机数据库…", "Opening the local database…";
    "lang.switch" => "English", "中文";
    "lang.label" => "切换语言", "Switch language";
    "nav.menu" => "菜单", "Menu";
    "nav.home" => "首页", "Home";
    "nav.grids" => "网格", "Grids";
    "nav.residents" => "居民", "Residents";
    "nav.staff" => "人员", "Staff";
    "nav.settings" => "设置", "Settings";
    "nav.main" => "主导航", "Main navigation";
    "actor.label" => "当前使用人", "Using this device";

    "unavailable.title" => "无法在此处保存数据", "Data cannot be saved here";
    "unavailable.body" => "网格台账把数据保存在浏览器的私有文件系统（OPFS）中。当前浏览器或打开方式不支持它，因此这里不会保存任何数据。", "GridLedger keeps its data in the browser's private file system (OPFS). This browser or this way of opening the app does not provide it, so nothing would be saved here.";
    "unavailable.insecure" => "此页面不是安全上下文（例如通过 file:// 或局域网 http:// 地址打开）。", "This page is not a secure context (for example opened from file:// or a plain http:// LAN address).";
    "unavailable.ways" => "可行的打开方式：1）通过 HTTPS 网址打开；2）在本机运行网格台账程序（gridledger serve，Windows 上双击 gridledger.exe），它会用 http://127.0.0.1 打开。局域网里的 http:// 地址无法保存数据。请使用最新版 Chrome、Edge 或 Firefox，且不要使用无痕模式。", "Ways that work: 1) open it from an HTTPS address; 2) run the GridLedger program on this PC (gridledger serve; on Windows double-click gridledger.exe): it opens http://127.0.0.1. A plain http:// LAN address cannot keep data. Use a current Chrome, Edge or Firefox, not a private window.";
    "unavailable.other_tab_title" => "网格台账已在另一个标签页中打开", "GridLedger is open in another tab";
    "unavailable.other_tab" => "同一时间只能有一个标签页使用本机数据库。可以回到那个标签页继续使用，也可以在这里接管。", "Only one tab at a time can use this device's database. Go back to that tab, or take it over here.";
    "tabs.take_over" => "在此标签页使用", "Use it in this tab";
    "tabs.take_over_hint" => "另一个标签页会先完成正在进行的保存或导入，然后停止使用数据库；它未提交的输入不会保留。", "The other tab first finishes any save or import in progress, then stops using the database; input it has not saved is not kept.";
    "tabs.taking_over" => "正在等待另一个标签页交出数据库…", "Waiting for the other tab to hand over the database…";
    "tabs.released_title" => "网格台账已在另一个标签页中使用", "GridLedger is now in use in another tab";
    "tabs.released" => "数据库已交给另一个标签页，本页已停止读写，数据不会丢失。", "The database was handed to another tab; this page stopped reading and writing it, and nothing was lost.";
    "tabs.take_back" => "在此标签页继续使用", "Continue in this tab";
    "pwa.update_ready" => "网格台账有新版本，重新加载后使用。", "A new version of GridLedger is ready: reload to use it.";
    "pwa.reload" => "重新加载", "Reload";
    "unavailable.reason" => "浏览器给出的原因", "The browser's reason";
    "worker.crashed" => "数据库后台进程出错，请重新加载页面。", "The database worker failed; please reload the page.";

    "setup.title" => "首次使用：设置本机", "First run: set up this device";
    "setup.intro" => "请选择本机所在的单位类型。数据只保存在这台电脑的浏览器里。", "Choose what kind of office this device belongs to. Data stays in this computer's browser.";
    "setup.kind" => "单位类型", "Office type";
    "setup.community" => "社区", "Community office";
    "setup.street" => "街道", "Street office";
    "setup.community_name" => "社区名称", "Community name";
    "setup.community_code" => "统计用区划代码（12位）", "Statistical division code (12 digits)";
    "setup.street_name" => "所属街道", "Street it belongs to";
    "setup.street_office_name" => "街道名称", "Street office name";
    "setup.street_code" => "街道区划代码（9位）", "Street division code (9 digits)";
    "setup.device_name" => "本机名称", "Name of this device";
    "setup.actor_name" => "使用人姓名", "Your name";
    "setup.actor_role" => "使用人角色", "Your role";
    "setup.submit" => "完成设置", "Finish setup";
    "setup.or" => "或者", "or";
    "setup.sample" => "载入示例社区", "Load sample community";
    "setup.sample_hint" => "永安社区（410103008005，建中街街道）：约3000户、8000余名居民，可随时体验全部功能。", "永安社区 (410103008005, 建中街街道): about 3,000 households and 8,000 residents to try every feature.";
    "setup.sample_loading" => "正在生成示例社区…", "Generating the sample community…";
    "restore.title" => "从完整备份恢复", "Restore from a full backup";
    "restore.intro" => "换了电脑或浏览器时：选择以前下载的完整备份文件（.gridledger.json，或加密的 .gridledger），本机将设置为备份中的社区或街道，并恢复其中的全部数据。", "On a new computer or browser: pick a full backup downloaded earlier (.gridledger.json, or an encrypted .gridledger); this device is set up as the backup's community or street office with all of its data.";
    "restore.file" => "备份文件", "Backup file";
    "restore.passphrase" => "备份密码", "Backup passphrase";
    "restore.actor_hint" => "与人员名单中的姓名相同时即为该人员，否则以社区干部身份加入。", "If the name is on the staff list this device uses it; otherwise it is added as a community cadre.";
    "restore.submit" => "恢复备份", "Restore the backup";
    "restore.busy" => "正在恢复…", "Restoring…";
    "err.restore_partial" => "这不是完整备份：它只含一个网格、一部分社区或上次以来的变化。请选择“完整备份”下载的文件。", "This is not a full backup: it holds one grid, some communities or only recent changes. Pick a file from 'Full backup'.";
    "err.restore_masked" => "这个数据包已脱敏（身份证号、电话等被遮盖），不能用来恢复。请选择未脱敏的完整备份。", "This bundle is masked (ID numbers, phones hidden) and cannot be restored. Pick an unmasked full backup.";
    "field.title" => "打开外勤数据包", "Open a field bundle";
    "field.intro" => "网格员的手机：选择社区发来的外勤数据包（本人网格的住户、重点人员和走访计划、派给本人的事件、值班），本机进入外勤模式，没有网络也能上报事件、办理事件、记录走访，之后“送回”社区。", "A grid worker's phone: pick the field bundle the community sent (your grids' households, key persons and visit plans, the cases dispatched to you, your duties). This device works in field mode, offline too: report and handle cases, record visits, then send the work back.";
    "field.file" => "外勤数据包", "Field bundle";
    "field.passphrase" => "数据包密码", "Bundle passphrase";
    "field.submit" => "打开外勤数据包", "Open the field bundle";
    "field.busy" => "正在打开…", "Opening…";
    "field.export_title" => "外勤数据包（给网格员的手机）", "Field bundle (for a grid worker's phone)";
    "field.export_intro" => "选择一名网格员：导出其网格及下级网格的住户和居民（重点人员以外的身份证号和电话已脱敏）、重点人员和走访计划、派给本人未办结的事件及其经过、字典和本人值班。网格员在手机上打开，在外勤中办理后“送回”，在这里导入。", "Pick a grid worker: their grids and sub-grids' households and residents (ID numbers and phones masked except for key persons), key persons and visit plans, the open cases dispatched to them with their timelines, the dictionaries and their duties. They open it on a phone, work in the field, send it back, and you import it here.";
    "field.worker" => "网格员", "Grid worker";
    "field.pick_worker" => "选择网格员…", "Pick a grid worker…";
    "field.export_passphrase" => "密码（可选，至少8位）", "Passphrase (optional, 8 or more characters)";
    "field.passphrase_hint" => "通过聊天软件发送时建议加密，并当面告诉网格员密码。", "Encrypt it when it goes through a chat app, and tell the worker the passphrase in person.";
    "field.export_button" => "导出外勤数据包", "Export the field bundle";
    "field.mode" => "外勤模式", "Field mode";
    "field.as_of" => "数据截至", "data as of";
    "field.unsent" => "项未送回", "changes not sent back";
    "field.all_sent" => "没有未送回的记录", "Nothing waiting to be sent back";
    "field.last_sent" => "上次送回", "last sent back";
    "field.send_back" => "送回", "Send back";
    "field.sending" => "正在生成…", "Preparing…";
    "field.shared" => "已分享送回数据包", "Shared the return bundle";
    "field.downloaded" => "已下载送回数据包，请发给社区：", "Downloaded the return bundle; send it to the community office:";
    "field.cancelled" => "已取消分享；送回数据包可以再生成：", "Sharing cancelled; the return bundle can be made again:";
    "field.warn_before" => "注意：本机还有", "Note: this phone still has";
    "field.warn_after" => "项记录未送回。导入新的外勤数据包不会删除它们，但请先点“送回”交给社区。", "changes not sent back. A newer field bundle will not delete them, but send them back to the office first.";
    "err.field_other_worker" => "这是另一名网格员的外勤数据包，不能导入这台手机。请选择发给本人的外勤数据包。", "This is another grid worker's field bundle; it cannot go on this phone. Pick the one made for you.";
    "problem.masked_id_locked" => "身份证号在本机已脱敏，出生日期和性别须与之相符，不能在外勤手机上修改；请到社区修改。", "The ID number is masked on this phone, so the birth date and gender that must agree with it cannot be changed here; change them at the office.";
    "err.field_no_grids" => "这名人员没有负责的网格，不能导出外勤数据包。请先在“人员”页为其指定网格。", "This person has no grid, so there is no field bundle for them. Give them a grid on the Staff page first.";
    "err.field_not_field_bundle" => "这不是外勤数据包。请选择社区为网格员导出的“外勤数据包”。", "This is not a field bundle. Pick the field bundle the community exported for a grid worker.";
    "err.field_not_field_device" => "本机不是外勤模式，没有可送回的数据。", "This device is not in field mode: there is nothing to send back.";
    "setup.street_hint" => "街道开始时为空，导入各社区的数据包后汇总。", "A street office starts empty and fills up by importing its communities' bundles.";

    "home.title" => "概览", "Overview";
    "home.grids" => "网格", "Grids";
    "home.households" => "户", "Households";
    "home.residents" => "居民", "Residents";
    "home.street_empty" => "本街道还没有社区数据。导入社区数据包后可在此查看汇总。", "This street has no community data yet. Import community bundles to see them here.";
    "home.key_groups" => "重点人群", "Key groups";
    "home.device" => "本机", "This device";
    "home.db_open" => "数据库打开用时", "Database opened in";

    "grids.title" => "网格管理", "Grids";
    "grids.add_child" => "添加下级", "Add sub-grid";
    "grids.rename" => "重命名", "Rename";
    "grids.move" => "移动", "Move";
    "grids.delete" => "删除", "Delete";
    "grids.name" => "名称", "Name";
    "grids.new_name" => "新网格名称", "New grid name";
    "grids.parent" => "上级网格", "Parent grid";
    "grids.save" => "保存", "Save";
    "grids.cancel" => "取消", "Cancel";
    "grids.confirm_delete" => "确定删除该网格？此操作会被记录。", "Delete this grid? The deletion is recorded.";
    "grids.leader" => "负责人", "Leader";
    "grids.workers" => "网格员", "Workers";
    "grids.none" => "未配备", "none";
    "grids.households" => "户", "households";
    "grids.residents" => "人", "residents";
    "grids.levels" => "层级名称", "Level names";
    "grids.levels_hint" => "用逗号分隔，从社区开始，例如：社区,网格,微网格", "Comma-separated, starting with the community, e.g. 社区,网格,微网格";
    "grids.view_residents" => "查看居民", "Residents";
    "grids.read_only" => "当前角色不能修改网格。", "Your role cannot change grids.";

    "residents.title" => "居民台账", "Residents";
    "residents.search" => "搜索姓名、拼音首字母（如 zs）、电话或身份证号后几位", "Search name, pinyin initials (e.g. zs), phone or last digits of ID";
    "residents.grid_filter" => "按网格筛选", "Filter by grid";
    "residents.tag_filter" => "按标签筛选", "Filter by tag";
    "residents.all_grids" => "全部网格", "All grids";
    "residents.all_tags" => "全部标签", "All tags";
    "residents.new" => "新增居民", "New resident";
    "residents.total" => "共", "Total";
    "residents.people" => "人", "people";
    "residents.prev" => "上一页", "Previous page";
    "residents.next" => "下一页", "Next page";
    "residents.page" => "第", "Page";
    "residents.empty" => "没有符合条件的居民。", "No residents match.";
    "residents.edit" => "编辑居民", "Edit resident";
    "residents.back" => "返回列表", "Back to list";
    "residents.saved" => "已保存", "Saved";
    "residents.delete" => "删除居民", "Delete resident";
    "residents.confirm_delete" => "确定删除该居民？删除会被记录。", "Delete this resident? The deletion is recorded.";
    "residents.new_household" => "新建住户", "New household";
    "residents.add_tag" => "新增标签", "New tag";
    "residents.new_tag_name" => "新标签名称", "New tag name";

    "field.name" => "姓名", "Name";
    "field.gender" => "性别", "Gender";
    "field.male" => "男", "Male";
    "field.female" => "女", "Female";
    "field.birth_date" => "出生日期", "Birth date";
    "field.id_number" => "身份证号", "ID number";
    "field.phone" => "联系电话", "Phone";
    "field.grid" => "所属网格", "Grid";
    "field.household" => "住户（楼栋/单元/房号）", "Household (building/unit/room)";
    "field.no_household" => "未关联住户", "No household";
    "field.relation" => "与户主关系", "Relation to head";
    "field.note" => "备注", "Note";
    "field.tags" => "标签", "Tags";
    "field.building" => "楼栋", "Building";
    "field.unit" => "单元", "Unit";
    "field.room" => "房号", "Room";
    "field.role" => "角色", "Role";
    "field.choose" => "请选择", "Choose";
    "field.address" => "住址", "Address";
    "field.age" => "年龄", "Age";
    "field.actions" => "操作", "Actions";
    "field.required_mark" => "必填", "required";

    "staff.title" => "网格人员", "Staff";
    "staff.new" => "新增人员", "New staff member";
    "staff.assign" => "分配到网格", "Assign to grid";
    "staff.duty" => "职责", "Duty";
    "staff.duty.leader" => "负责人", "Leader";
    "staff.duty.worker" => "网格员", "Worker";
    "staff.unassign" => "移除", "Remove";
    "staff.grids" => "负责网格", "Grids";
    "staff.edit" => "编辑", "Edit";
    "staff.save" => "保存人员", "Save staff member";
    "role.grid_leader" => "网格长", "Grid leader";
    "role.full_time_worker" => "专职网格员", "Full-time grid worker";
    "role.part_time_worker" => "兼职网格员", "Part-time grid worker";
    "role.micro_grid_worker" => "微网格员", "Micro-grid worker";
    "role.community_cadre" => "社区干部", "Community cadre";
    "role.street_cadre" => "街道干部", "Street cadre";

    "settings.title" => "设置", "Settings";
    "settings.device" => "本机与使用人", "Device and user";
    "settings.device_id" => "设备编号", "Device id";
    "settings.actor" => "当前使用人（后续所有操作都会记录此人）", "Current user (every action is recorded under this person)";
    "settings.save" => "保存", "Save";
    "settings.tags" => "标签管理", "Tags";
    "settings.tag_builtin" => "内置", "built-in";
    "settings.language" => "界面语言", "Language";
    "settings.storage" => "数据存储", "Storage";
    "settings.storage_text" => "数据保存在本浏览器的 OPFS（SQLite 数据库）。", "Data is kept in this browser's OPFS (an SQLite database).";
    "settings.schema" => "数据库版本", "Schema version";

    "common.save" => "保存", "Save";
    "common.cancel" => "取消", "Cancel";
    "common.saving" => "正在保存…", "Saving…";
    "common.loading" => "加载中…", "Loading…";
    "common.close" => "关闭", "Close";
    "common.yes" => "确定", "Yes";
    "common.fix_errors" => "请根据提示修改后再保存。", "Please fix the marked fields and save again.";

    "err.unknown" => "操作失败", "The operation failed";
    "err.invalid" => "有字段需要修改", "Some fields need fixing";
    "err.storage" => "数据库出错", "Database error";
    "err.storage_unavailable" => "此浏览器无法保存数据", "This browser cannot save data";
    "err.not_found" => "记录不存在或已被删除", "The record does not exist or was deleted";
    "err.not_set_up" => "本机还未设置", "This device is not set up yet";
    "err.already_set_up" => "本机已经设置过了", "This device is already set up";
    "err.schema_too_new" => "数据库由更新版本的网格台账创建，请使用新版本打开", "The database was made by a newer GridLedger; open it with that version";
    "err.grid_cycle" => "不能把网格移动到它自己或它的下级网格下面", "A grid cannot move under itself or one of its sub-grids";
    "err.grid_root_fixed" => "社区根网格不能移动或删除", "The community root cannot be moved or deleted";
    "err.grid_too_deep" => "超出已命名的网格层级；请先在层级名称中增加一级", "Deeper than the named levels; add a level name first";
    "err.grid_has_children" => "该网格下还有下级网格，请先移走或删除它们", "This grid still has sub-grids; move or delete them first";
    "err.grid_has_residents" => "该网格下还有住户或居民，请先把他们调整到其他网格", "This grid still has households or residents; move them to another grid first";
    "err.grid_other_community" => "不能移动到其他社区", "Cannot move into another community";
    "err.already_assigned" => "此人已分配到该网格", "Already assigned to this grid";
    "err.worker" => "数据库后台进程出错", "The database worker failed";
    "err.bad_request" => "请求无效", "Invalid request";
    "err.nothing_to_export" => "没有可导出的数据", "There is nothing to export";
    "err.grid_outside_scope" => "所选网格不在导出范围内", "The chosen grid is outside the export scope";
    "err.identity_conflict" => "数据包与本机的社区身份冲突，请确认后再导入", "The bundle clashes with this database's communities; confirm before importing";
    "err.foreign_keys" => "导入后会有记录找不到上级记录，已取消", "The import would leave records without their parents; nothing was written";
    "err.nothing_staged" => "请先选择要导入的文件", "Choose a file to import first";
    "err.bundle_too_large" => "文件太大（超过 1 GB），不是网格台账能读取的数据包", "The file is too large (over 1 GB) to be a bundle GridLedger can read";
    "err.bundle_field_too_long" => "记录中有一段文字长得不正常（超过 64 KB），文件可能已损坏", "A record holds an abnormally long text (over 64 KB): the file may be damaged";
    "err.bundle_empty" => "文件是空的", "The file is empty";
    "err.bundle_unreadable" => "无法读取文件", "The file cannot be read";
    "err.bundle_not_json" => "文件不是 JSON 格式，不是网格台账数据包", "The file is not JSON: not a GridLedger bundle";
    "err.bundle_truncated" => "文件不完整（可能下载或复制时被截断）", "The file is incomplete (cut off while downloading or copying?)";
    "err.bundle_not_bundle" => "这不是网格台账数据包", "This is not a GridLedger bundle";
    "err.bundle_wrong_format" => "这是其他软件的文件，不是网格台账数据包", "This file is from another program, not a GridLedger bundle";
    "err.bundle_too_new" => "数据包由更新版本的网格台账导出，请先升级本软件", "The bundle comes from a newer GridLedger; update this app first";
    "err.bundle_too_old" => "数据包格式版本太旧，无法读取", "The bundle's format version is too old to read";
    "err.bundle_bad_header" => "数据包的文件头不正确", "The bundle's header is malformed";
    "err.bundle_checksum" => "校验和不符：文件在导出后被改动或损坏", "Checksum mismatch: the file was changed or damaged after export";
    "err.bundle_count_mismatch" => "记录数与文件头不符", "Record counts do not match the header";
    "err.bundle_unknown_table" => "数据包含有本软件不认识的表", "The bundle has a table this app does not know";
    "err.bundle_unknown_field" => "记录含有未知字段", "A record has an unknown field";
    "err.bundle_missing_field" => "记录缺少字段", "A record is missing a field";
    "err.bundle_wrong_type" => "字段类型不正确", "A field has the wrong type";
    "err.bundle_invalid_field" => "记录未通过校验", "A record fails validation";
    "err.bundle_duplicate_id" => "同一记录出现了两次", "The same record appears twice";
    "err.bundle_missing_parent" => "记录引用的上级记录不在数据包中", "A record refers to a parent that is not in the bundle";
    "err.bundle_bad_encryption" => "加密文件格式不正确", "The encrypted file is malformed";
    "err.bundle_passphrase_required" => "数据包已加密，请输入密码", "The bundle is encrypted: enter its passphrase";
    "err.bundle_wrong_passphrase" => "密码不正确（或文件已被改动）", "Wrong passphrase (or the file was changed)";
    "settings.digest" => "数据指纹", "Data fingerprint";
    "residents.community_filter" => "按社区筛选", "Filter by community";
    "residents.all_communities" => "全部社区", "All communities";
    "nav.community" => "当前社区", "Current community";
    "backup.title" => "存储与备份", "Storage and backup";
    "backup.persisted" => "持久保存", "Persistent storage";
    "backup.persisted_yes" => "已获准：浏览器不会自动清除本机数据", "Granted: the browser will not clear the data on its own";
    "backup.persisted_no" => "未获准：空间紧张时浏览器可能清除数据", "Not granted: the browser may clear the data when space runs low";
    "backup.persisted_unknown" => "此浏览器无法查询", "This browser cannot tell";
    "backup.persist" => "申请持久保存", "Ask for persistent storage";
    "backup.persist_hint" => "申请后浏览器不会在空间紧张时清除台账数据（部分浏览器在添加到桌面或常用后才批准）。", "Once granted, the browser keeps the ledger even when space runs low (some browsers grant it only to installed or often-used sites).";
    "backup.usage" => "已用空间", "Space used";
    "backup.left" => "剩余", "left";
    "backup.last" => "上次完整备份", "Last full backup";
    "backup.none" => "从未备份", "never";
    "backup.now" => "立即备份全部数据", "Back up everything now";
    "backup.working" => "正在备份…", "Backing up…";
    "backup.done" => "已下载备份文件", "Backup downloaded:";
    "backup.failed" => "备份失败，请重试", "The backup failed; try again";
    "backup.remind" => "备份提醒", "Backup reminder";
    "backup.every" => "每", "every";
    "backup.never_remind" => "不提醒", "off";
    "backup.reminder" => "已到备份时间：请导出一份完整备份，保存在U盘或其他电脑上。", "A backup is due: export a full backup and keep it on a USB stick or another computer.";
    "backup.restore_hint" => "备份是完整的数据包（所有社区、不脱敏、含照片）。恢复：在「数据交换」导入该文件，预览后确认。", "A backup is a full bundle (every community, nothing masked, photos included). To restore, import it on Exchange and confirm the preview.";
    "nav.community_only" => "此页按社区办理，显示的是：", "This page works on one community; it shows: ";
    "home.overdue_cases" => "超期未办结事件", "Overdue cases";
    "home.none_overdue" => "没有超期事件", "No overdue cases";
    "home.all_overdue" => "查看全部超期事件", "All overdue cases";
    "nav.cases" => "事件", "Cases";
    "case.title" => "事件办理", "Cases";
    "case.report" => "上报事件", "Report a case";
    "case.report_title" => "上报事件", "Report a case";
    "case.figures" => "办理情况", "Figures";
    "case.received" => "受理", "Received";
    "case.closed" => "办结", "Closed";
    "case.closure_rate" => "办结率", "Closure rate";
    "case.satisfaction_rate" => "满意率", "Satisfaction";
    "case.overdue" => "超期", "Overdue";
    "case.median_hours" => "办结用时中位数（小时）", "Median hours to close";
    "case.search" => "搜索标题、描述或地址", "Search title, description or address";
    "case.state_filter" => "按状态筛选", "Filter by state";
    "case.all_states" => "全部状态", "All states";
    "case.overdue_only" => "只看超期", "Overdue only";
    "case.mine" => "我的事件", "My cases";
    "case.empty" => "没有符合条件的事件", "No cases match";
    "case.assignee" => "承办人", "Assigned to";
    "case.flagged" => "需核对", "Needs a look";
    "case.channel" => "来源渠道", "Channel";
    "case.channel.resident" => "居民反映", "Resident report";
    "case.channel.patrol" => "网格巡查", "Patrol";
    "case.channel.hotline_12345" => "12345热线", "12345 hotline";
    "case.channel.visit" => "走访发现", "Found on a home visit";
    "case.channel.photo" => "随手拍", "Photo report";
    "case.channel.other" => "其他", "Other";
    "case.category" => "事件类别", "Category";
    "case.filing" => "立案标准", "Filing criterion";
    "case.limit" => "处置时限", "Time limit";
    "case.unit.working_hours" => "个工作时", "working hours";
    "case.unit.working_days" => "个工作日", "working days";
    "case.responsible" => "责任单位", "Responsible unit";
    "case.title_field" => "事件标题", "Title";
    "case.description" => "详细描述", "Description";
    "case.grid" => "所属网格", "Grid";
    "case.address" => "地点", "Place";
    "case.reporter_name" => "反映人", "Reported by";
    "case.reporter_hint" => "可不填（匿名）", "Optional (anonymous)";
    "case.reporter_phone" => "反映人电话", "Reporter's phone";
    "case.priority" => "紧急程度", "Priority";
    "case.priority.normal" => "一般", "Normal";
    "case.priority.urgent" => "紧急", "Urgent";
    "case.submit" => "上报", "Report";
    "case.reported_at" => "上报时间", "Reported";
    "case.deadline" => "处置期限", "Deadline";
    "case.rating" => "评价", "Rating";
    "case.rating.satisfied" => "满意", "Satisfied";
    "case.rating.basically_satisfied" => "基本满意", "Basically satisfied";
    "case.rating.unsatisfied" => "不满意", "Unsatisfied";
    "case.next_step" => "办理", "Next step";
    "case.feedback_note" => "处置结果", "What was done";
    "case.reason" => "理由", "Reason";
    "case.remark" => "备注", "Remark";
    "case.confirm" => "确认", "Confirm";
    "case.timeline" => "办理记录", "Timeline";
    "case.out_of_order" => "两台设备的记录合并后，这一步已不再适用：保留在记录中，未改变事件状态。", "After two devices' records were merged this step no longer fits: it stays in the history and changed nothing.";
    "case.state.reported" => "待受理", "Reported";
    "case.state.accepted" => "已立案", "Accepted";
    "case.state.dispatched" => "已派单", "Dispatched";
    "case.state.in_hand" => "处置中", "In hand";
    "case.state.handled" => "已反馈", "Handled";
    "case.state.verified" => "已核查", "Verified";
    "case.state.closed" => "已结案", "Closed";
    "case.state.rated" => "已评价", "Rated";
    "case.state.escalated" => "已上报街道", "Escalated";
    "case.state.voided" => "已作废", "Voided";
    "case.move.report" => "上报", "Report";
    "case.move.accept" => "受理立案", "Accept";
    "case.move.dispatch" => "派单", "Dispatch";
    "case.move.start" => "开始处置", "Start";
    "case.move.feedback" => "结果反馈", "Feedback";
    "case.move.verify" => "核查", "Verify";
    "case.move.close" => "结案", "Close";
    "case.move.rate" => "评价", "Rate";
    "case.move.return" => "退回", "Return";
    "case.move.escalate" => "上报街道", "Escalate";
    "case.move.urge" => "督办", "Urge";
    "case.move.void" => "作废", "Void";
    "err.no_actor" => "请先在设置中选择本机使用人", "Choose this device's user in Settings first";
    "err.case_illegal_move" => "当前状态下不能进行这一步", "This step is not possible in the case's current state";
    "err.case_not_allowed" => "您的角色不能进行这一步", "Your role may not take this step";
    "problem.case_reason_required" => "请填写理由", "Give a reason";
    "problem.case_note_required" => "请填写处置结果", "Describe what was done";
    "problem.case_assignee_required" => "请填写承办人", "Name who it goes to";
    "problem.case_rating_required" => "请选择评价", "Choose a rating";
    "exchange.photos" => "包含事件照片（文件会变大）", "Include case photos (a bigger file)";
    "exchange.photo_cap" => "照片总量上限（MB）", "Photo limit (MB)";
    "exchange.photo_cap_hint" => "超过上限时，较新的照片不放入数据包", "Beyond the limit the newer photos are left out";
    "exchange.photos_in" => "已包含照片", "Photos included";
    "exchange.photos_left_out" => "因超过上限未包含", "left out by the limit";
    "settings.categories" => "事件分类", "Case categories";
    "settings.categories_hint" => "大类与小类，各有立案标准、处置时限、结案标准和责任单位。修改只影响此后上报的事件。", "Groups and items, each with its filing criterion, time limit, closing criterion and responsible unit. Changes apply to cases reported from now on.";
    "settings.cat_add" => "新增分类", "Add a category";
    "settings.cat_edit" => "修改", "Edit";
    "settings.cat_code" => "编码", "Code";
    "settings.cat_code_fixed" => "编码不能修改；输入新编码即新增", "The code stays; a new code adds a category";
    "settings.cat_parent" => "所属大类", "Group";
    "settings.cat_is_group" => "（这是一个大类）", "(this is a group)";
    "settings.cat_name" => "名称", "Name";
    "settings.cat_unit" => "时限单位", "Limit unit";
    "settings.cat_closing" => "结案标准", "Closing criterion";
    "settings.calendar" => "工作日历", "Working calendar";
    "settings.calendar_hint" => "处置时限按工作日和工作时（9:00–17:00）计算。已内置国家法定节假日安排；社区可以把某天改为休息日或调休上班日。", "Time limits count working days and hours (9:00–17:00). The official holiday arrangement is built in; the office can make a date a day off or a make-up working day.";
    "settings.cal_day" => "日期", "Date";
    "settings.cal_kind" => "设为", "Make it";
    "settings.cal_holiday" => "休息日", "Day off";
    "settings.cal_workday" => "工作日（调休上班）", "Working day (make-up)";
    "settings.cal_name" => "说明", "Note";
    "settings.cal_set" => "保存日期", "Save date";
    "settings.cal_undo" => "恢复", "Undo";
    "nav.volunteers" => "志愿者", "Volunteers";
    "nav.roster" => "排班", "Roster";
    "duty.title" => "我的值班", "My duties";
    "duty.who" => "谁的值班", "Whose duties";
    "duty.none" => "今后八周没有值班。", "No duties in the next eight weeks.";
    "duty.add_calendar" => "加入手机日历（.ics）", "Add to phone calendar (.ics)";
    "duty.today" => "今天", "Today";
    "duty.check_in" => "签到", "Check in";
    "duty.check_out" => "签退", "Check out";
    "duty.checked_in" => "已签到", "Checked in";
    "duty.checked_out" => "已签退", "Checked out";
    "duty.share" => "分享值班链接", "Share duty link";
    "share.holds_all" => "链接包含接下来的全部", "The link holds all";
    "share.holds_some" => "值班太多，链接只装得下前", "Too many for one link: it holds the first";
    "share.duties" => "个值班", "duties";
    "share.until" => "至", "until";
    "share.link" => "值班链接", "Duty link";
    "share.copy" => "复制链接", "Copy link";
    "share.open" => "打开", "Open";
    "share.qr" => "值班链接二维码：用手机扫码打开", "QR code of the duty link: scan it with a phone";
    "share.privacy" => "值班数据全在链接的 # 之后，打开时不会发送到任何服务器；但拿到链接的人都能看到这些值班，请只发给本人或本队。", "The duties are all in the part of the link after #, which is never sent to any server; but anyone with the link can see them: send it only to the person or team.";
    "share.reshare" => "排班有变时请重新分享；手机上显示的是分享时的排班。", "Share again when the roster changes: the phone shows the roster as it was when shared.";
    "shared.as_of" => "排班截至", "Roster as of";
    "shared.kept" => "这是此手机上次打开的值班链接。", "This is the duty link last opened on this phone.";
    "shared.all_past" => "链接里的值班都已过去。请让社区重新分享。", "Every duty in this link is past. Ask the community office to share again.";
    "shared.home_screen" => "在浏览器菜单中选择“添加到主屏幕”，以后一点就能打开；打开新链接会替换这里的值班。", "Choose \"Add to Home screen\" in the browser menu to open it with one tap; opening a new link replaces the duties here.";
    "shared.read_only" => "这是只读的值班表，手机上不保存社区的数据库。", "This is a read-only duty list: the community's database is not on this phone.";
    "shared.empty_title" => "没有值班链接", "No duty link";
    "shared.empty" => "请打开社区发来的值班链接或扫描二维码。", "Open the duty link the community office sent you, or scan its QR code.";
    "shared.bad_title" => "无法打开这个值班链接", "This duty link cannot be opened";
    "shared.corrupted" => "链接已损坏或不完整（可能复制时少了字符）。请让社区重新分享，或直接扫描二维码。", "The link is damaged or incomplete (perhaps some characters were lost when copying). Ask the community office to share it again, or scan its QR code.";
    "shared.unknown_version" => "这个链接由更新版本的网格台账生成，请更新后再打开。", "This link was made by a newer GridLedger: update it, then open the link again.";
    "common.print" => "打印", "Print";
    "nav.hours" => "时间银行", "Time bank";
    "hours.title" => "时间银行", "Time bank";
    "hours.who" => "姓名", "Name";
    "hours.month_suffix" => "月", "";
    "hours.total" => "合计", "Total";
    "hours.prev_year" => "上一年", "Previous year";
    "hours.next_year" => "下一年", "Next year";
    "hours.rule" => "计时规则：已完成的值班按签到至签退的时间计；未签到签退的按排班时长计；缺勤不计。另加登记的任务时长。", "How hours are counted: a done shift counts the time from check-in to check-out, or its planned length when not checked; a no-show counts nothing. Plus the hours logged for tasks.";
    "hours.community_total" => "小时 · 全社区本年合计", "hours · community total this year";
    "hours.volunteers_with_hours" => "名志愿者有服务时长", "volunteers with hours";
    "hours.teams" => "各队伍时长（小时）", "Hours by team";
    "hours.community" => "全社区", "Whole community";
    "hours.communities" => "各社区时长（小时）", "Hours by community";
    "hours.by_volunteer" => "各志愿者时长（小时）", "Hours by volunteer";
    "hours.none" => "本年还没有服务时长。", "No hours this year yet.";
    "hours.unit_total" => "小时 · 累计服务时长", "hours in all";
    "hours.month" => "月份", "Month";
    "hours.hours" => "时长（小时）", "Hours";
    "hours.hours_hint" => "如 1.5 表示一个半小时", "e.g. 1.5 for an hour and a half";
    "hours.entries" => "时长明细", "Where the hours come from";
    "hours.kind.shift" => "值班", "Shift";
    "hours.kind.task" => "任务", "Task";
    "hours.kind.wish" => "微心愿", "Micro-wish";
    "hours.h" => "小时", "h";
    "hours.log" => "登记任务时长", "Log hours for a task";
    "hours.task" => "服务内容", "Task";
    "hours.day" => "日期", "Date";
    "hours.logged" => "已登记。", "Logged.";
    "hours.delete" => "删除", "Delete";
    "hours.case_task" => "协助处置事件：", "Helped with case: ";
    "hours.for_case" => "为协助处置的志愿者登记服务时长", "Log hours for volunteers who helped with this case";
    "hours.logged_for" => "已登记服务时长：", "Hours logged for";
    "problem.bad_date" => "日期无效", "Not a valid date";
    "problem.not_now" => "只能在值班开始前两小时至结束之间签到", "Check-in opens two hours before the shift and closes at its end";
    "problem.not_checked_in" => "请先签到", "Check in first";
    "roster.view_week" => "周视图", "Week view";
    "roster.view_list" => "列表视图", "List view";
    "roster.print" => "打印排班表", "Print roster";
    "roster.people" => "人员", "People";
    "roster.when" => "时间", "When";
    "roster.what" => "班次", "Shift";
    "roster.title" => "值班排班", "Duty roster";
    "roster.add" => "新增班次", "New shift";
    "roster.week" => "选择周", "Week";
    "roster.prev_week" => "上一周", "Previous week";
    "roster.next_week" => "下一周", "Next week";
    "roster.this_week" => "本周", "This week";
    "roster.shift_title" => "班次名称", "Shift";
    "roster.date" => "日期", "Date";
    "roster.start" => "开始时间", "Starts";
    "roster.end" => "结束时间", "Ends";
    "roster.end_hint" => "早于开始时间即为次日（夜班）", "Earlier than the start means the next day (a night duty)";
    "roster.grid" => "地点（网格）", "Place (grid)";
    "roster.place" => "具体地点", "Where";
    "roster.role" => "岗位", "Role";
    "roster.needed" => "需要人数", "People needed";
    "roster.weeks" => "每周重复（周数）", "Repeat weekly (weeks)";
    "roster.weeks_hint" => "1 为只排这一次；8 即连续8周同一时间", "1 for once; 8 for the same time 8 weeks running";
    "roster.shifts" => "本周班次", "Shifts this week";
    "roster.short" => "人手不足", "under-staffed";
    "roster.double" => "重复排班", "double-booked";
    "roster.short_badge" => "缺人 ", "short ";
    "roster.double_badge" => "重复排班", "Double-booked";
    "roster.day_off" => "休", "Day off";
    "roster.status" => "出勤", "attendance";
    "roster.status.planned" => "已排班", "Planned";
    "roster.status.done" => "已完成", "Done";
    "roster.status.no_show" => "缺勤", "No-show";
    "roster.remove" => "移出", "Remove";
    "roster.assign" => "安排人员…", "Add a person…";
    "roster.delete" => "删除班次", "Delete shift";
    "roster.confirm_delete" => "确定删除这个班次？", "Delete this shift?";
    "roster.weekday.0" => "周一", "Mon";
    "roster.weekday.1" => "周二", "Tue";
    "roster.weekday.2" => "周三", "Wed";
    "roster.weekday.3" => "周四", "Thu";
    "roster.weekday.4" => "周五", "Fri";
    "roster.weekday.5" => "周六", "Sat";
    "roster.weekday.6" => "周日", "Sun";
    "problem.end_before_start" => "结束时间应晚于开始时间", "Must end after it starts";
    "problem.shift_too_long" => "一个班次不能超过24小时", "A shift cannot be longer than 24 hours";
    "problem.time_format" => "请填写时间", "Enter a time";
    "volunteer.title" => "志愿者与服务队", "Volunteers and teams";
    "volunteer.add" => "新增志愿者", "New volunteer";
    "volunteer.edit" => "编辑志愿者", "Edit volunteer";
    "volunteer.delete" => "删除志愿者", "Delete volunteer";
    "volunteer.confirm_delete" => "确定删除该志愿者？删除会被记录，并从所在队伍中移除。", "Delete this volunteer? The deletion is recorded and they leave their teams.";
    "volunteer.search" => "搜索姓名或电话", "Search name or phone";
    "volunteer.team_filter" => "按队伍筛选", "Filter by team";
    "volunteer.skill_filter" => "按技能筛选", "Filter by skill";
    "volunteer.all_teams" => "全部队伍", "All teams";
    "volunteer.all_skills" => "全部技能", "All skills";
    "volunteer.party_only" => "只看党员", "Party members only";
    "volunteer.empty" => "没有符合条件的志愿者。", "No volunteers match.";
    "volunteer.skills" => "技能特长", "Skills";
    "volunteer.availability" => "可服务时间", "Available";
    "volunteer.teams" => "志愿服务队", "Teams";
    "volunteer.add_team" => "新建队伍", "New team";
    "volunteer.team_name" => "队伍名称", "Team name";
    "volunteer.leader" => "队长", "Leader";
    "volunteer.no_leader" => "（未指定）", "(none)";
    "volunteer.people" => "人", "people";
    "volunteer.who" => "志愿者身份", "Who";
    "volunteer.is_resident" => "本社区居民", "Resident";
    "volunteer.unlink" => "取消关联", "Unlink";
    "volunteer.find_resident" => "从居民中查找（可不填）", "Find among residents (optional)";
    "volunteer.outside_hint" => "不是本社区居民（如在职党员）时直接填写姓名和电话", "Not a resident (e.g. a party member from a workplace)? Just type the name and phone";
    "volunteer.grid" => "服务网格", "Grid served";
    "volunteer.no_grid" => "（全社区）", "(whole community)";
    "volunteer.party_member" => "中共党员", "Party member";
    "volunteer.in_service" => "在职党员到社区报到", "In-service party member registered here";
    "volunteer.party_short" => "党员", "Party";
    "volunteer.in_service_short" => "在职党员", "In-service";
    "volunteer.work_unit" => "工作单位", "Work unit";
    "volunteer.posts" => "认领岗位", "Posts claimed";
    "volunteer.skill.medical" => "医疗", "Medical";
    "volunteer.skill.legal" => "法律", "Legal";
    "volunteer.skill.repair" => "维修", "Repairs";
    "volunteer.skill.counselling" => "心理疏导", "Counselling";
    "volunteer.skill.driving" => "驾驶", "Driving";
    "volunteer.skill.tutoring" => "教学辅导", "Tutoring";
    "volunteer.skill.arts" => "文艺", "Arts";
    "volunteer.skill.digital" => "电脑手机", "Phones and computers";
    "volunteer.when.weekdays" => "工作日", "Weekdays";
    "volunteer.when.evenings" => "晚上", "Evenings";
    "volunteer.when.weekends" => "周末", "Weekends";
    "volunteer.post.party_guide" => "党建指导员", "Party-building guide";
    "volunteer.post.service" => "便民服务员", "Neighbourhood service";
    "volunteer.post.opinion" => "民意收集员", "Opinion collector";
    "volunteer.post.civility" => "文明劝导员", "Civility adviser";
    "volunteer.post.safety" => "平安巡逻员", "Safety patrol";
    "volunteer.post.environment" => "环境卫生监督员", "Sanitation monitor";
    "problem.in_service_needs_party" => "在职党员报到需为中共党员", "An in-service registration is for party members";
    "problem.posts_need_in_service" => "认领岗位仅适用于在职党员", "Posts are claimed by in-service party members";
    "table.volunteers" => "志愿者", "Volunteers";
    "table.volunteer_teams" => "志愿服务队", "Volunteer teams";
    "table.team_members" => "队员", "Team members";
    "table.case_photos" => "事件照片", "Case photos";
    "problem.photo_not_image" => "不是可识别的图片（只接受 JPEG 或 PNG）", "Not an image this app can read (JPEG or PNG only)";
    "problem.photo_too_large" => "照片太大", "The photo is too large";
    "problem.photo_too_big_dimensions" => "照片尺寸超过 1600 像素", "The photo is larger than 1600 pixels";
    "problem.photo_too_many" => "每一步最多 6 张照片", "At most 6 photos per step";
    "problem.out_of_range" => "超出允许范围", "Out of range";
    "problem.code_format" => "编码只能用字母、数字、- 或 _，最多16位", "Letters, digits, - or _ only, at most 16";
    "problem.group_stays_group" => "大类不能改为小类", "A group cannot become an item";
    "photo.photos" => "照片", "Photos";
    "photo.photo" => "照片", "Photo";
    "photo.take" => "拍照", "Take a photo";
    "photo.pick" => "选择图片", "Choose pictures";
    "photo.remove" => "删除照片", "Remove photo";
    "photo.processing" => "正在压缩图片…", "Shrinking pictures…";
    "photo.unreadable" => "无法读取这些图片", "These pictures cannot be read";
    "photo.too_many" => "每一步最多可附照片", "Photos per step, at most";
    "photo.hint" => "照片在本机压缩到 1600 像素以内后保存", "Pictures are shrunk to 1600 pixels on this device before saving";
    "case.place" => "地点", "Place";
    "case.assignee_hint" => "网格员、志愿服务队或责任部门", "A grid worker, a volunteer team or a department";
    "case.whole_street" => "全街道事件", "Whole street";
    "case.address_detail" => "详细地点（可补充说明）", "Place details";
    "case.household" => "住户", "Household";
    "case.household_search" => "按楼栋、单元、门牌查找住户", "Find a household by building, unit, room";
    "case.household_hint" => "例如：3号楼 301", "e.g. 3号楼 301";
    "case.unpick" => "更换", "Change";
    "case.reporter" => "反映人", "Reporter";
    "case.reporter_search" => "从居民中查找（姓名、电话）", "Find among residents (name, phone)";
    "case.print" => "打印事件单", "Print case sheet";
    "case.sheet" => "事件办理单", "Case sheet";
    "case.all_categories" => "全部类别", "All categories";
    "case.all_channels" => "全部渠道", "All channels";
    "case.category_filter" => "按类别筛选", "Filter by category";
    "case.channel_filter" => "按渠道筛选", "Filter by channel";
    "case.assignee_filter" => "承办人", "Assigned to";
    "case.from" => "上报日期从", "Reported from";
    "case.to" => "上报日期至", "Reported until";
    "case.sort" => "排序", "Sort";
    "case.sort_newest" => "按上报时间（新的在前）", "Newest first";
    "case.sort_deadline" => "按处置期限（近的在前）", "Nearest deadline first";
    "case.street_queue" => "街道待办（上报街道的事件）", "Street queue (escalated cases)";
    "case.this_community" => "本社区事件", "This community's cases";
    "table.case_categories" => "事件分类", "Case categories";
    "table.cases" => "事件", "Cases";
    "table.case_events" => "办理记录", "Case events";
    "mask.reporter_name" => "反映人", "reporter";
    "mask.reporter_phone" => "反映人电话", "reporter's phone";
    "nav.exchange" => "数据交换", "Data exchange";
    "common.no" => "否", "No";
    "office.community" => "社区", "Community";
    "office.street" => "街道", "Street";
    "table.communities" => "社区", "Communities";
    "table.grids" => "网格", "Grids";
    "table.staff" => "工作人员", "Staff";
    "table.grid_staff" => "网格分工", "Grid assignments";
    "table.households" => "住户", "Households";
    "table.residents" => "居民", "Residents";
    "table.tags" => "标签", "Tags";
    "table.resident_tags" => "居民标签", "Resident tags";
    "mask.name" => "姓名", "name";
    "mask.id_number" => "身份证号", "ID number";
    "mask.phone" => "电话", "phone";
    "exchange.title" => "数据交换", "Data exchange";
    "exchange.intro" => "数据包（.gridledger.json）用于社区向街道报送数据、街道汇总各社区。文件只在您下载或选择时离开或进入本机。", "Bundles (.gridledger.json) carry a community's data to its street office and back. A file leaves or enters this machine only when you download or choose it.";
    "exchange.export" => "导出数据包", "Export a bundle";
    "exchange.scope" => "范围", "Scope";
    "exchange.scope_community" => "社区", "Community";
    "exchange.whole_community" => "整个社区", "The whole community";
    "exchange.all_communities" => "全部社区（整个街道）", "All communities (the whole street)";
    "exchange.incremental" => "只导出上次报送街道以来的变化", "Only what changed since the last export to the street";
    "exchange.incremental_street" => "只导出上次下发以来的变化", "Only what changed since the last export to communities";
    "exchange.mask" => "脱敏（隐藏部分个人信息）", "Masking (hide part of personal data)";
    "exchange.mask_hint" => "默认按“报送街道”方案隐藏身份证号和电话的中间位。导入时脱敏的值不会覆盖真实值。", "By default (the \"send to the street\" profile) the middle of ID numbers and phones is hidden. Masked values never overwrite real ones on import.";
    "exchange.encrypt" => "用密码加密文件", "Encrypt the file with a passphrase";
    "exchange.passphrase" => "密码", "Passphrase";
    "exchange.passphrase_again" => "再次输入密码", "Passphrase again";
    "exchange.pass_short" => "至少8个字符", "At least 8 characters";
    "exchange.pass_mismatch" => "两次输入不一致", "The two entries differ";
    "exchange.export_button" => "导出并下载", "Export and download";
    "exchange.exporting" => "正在导出…", "Exporting…";
    "exchange.exported" => "已导出", "Exported";
    "exchange.records" => "条记录", "records";
    "exchange.import" => "导入数据包", "Import a bundle";
    "exchange.drop" => "把数据包文件拖到这里，或", "Drop a bundle file here, or";
    "exchange.choose_file" => "选择文件", "Choose a file";
    "exchange.decrypt" => "解密并检查", "Decrypt and check";
    "exchange.checking" => "正在读取和检查数据包…", "Reading and checking the bundle…";
    "exchange.applying" => "正在导入…", "Importing…";
    "exchange.preview" => "导入预览（尚未写入）", "Import preview (nothing written yet)";
    "exchange.table" => "表", "Table";
    "exchange.new" => "新增", "New";
    "exchange.updated" => "更新", "Updated";
    "exchange.unchanged" => "未变", "Unchanged";
    "exchange.deleted" => "删除", "Deleted";
    "exchange.conflicts" => "冲突", "Conflicts";
    "exchange.total" => "合计", "Total";
    "exchange.identity" => "数据包中的社区与本机的单位不一致（或同一社区被设置过两次）。确认要合并吗？", "The bundle's communities differ from this office's (or one community was set up twice). Merge them anyway?";
    "exchange.accept_identity" => "我确认合并这些社区的数据", "Yes, merge these communities' data";
    "exchange.apply" => "确认导入", "Apply";
    "exchange.cancel" => "取消", "Cancel";
    "exchange.imported" => "已导入", "Imported";
    "exchange.imported_before" => "这个数据包已于", "This bundle was imported on";
    "exchange.imported_before_tail" => " 导入过（同一设备、同一编号、同一校验值）：其中的记录都已在本机，再次导入不会改变任何数据。", " (same device, number and checksum): every record in it is already here, and importing it again changes nothing.";
    "exchange.warn_missing_sequence" => "缺少该设备之前的增量数据包，编号：", "An earlier incremental bundle from this device never arrived, number";
    "exchange.warn_foreign_community" => "不属于本单位的社区：", "A community that is not this office's:";
    "exchange.conflict_list" => "冲突记录（较新的版本已保留，点击查看被替换的版本）", "Conflicts (the newer version is kept; click to see the one replaced)";
    "exchange.kind_bothchanged" => "双方都修改过", "changed on both sides";
    "exchange.kind_keptparent" => "已被删除但仍有下级记录，予以保留", "deleted on one side but still used: kept";
    "exchange.kept" => "保留的版本", "Kept";
    "exchange.lost" => "被替换的版本", "Replaced";
    "exchange.at_table" => "表", "table";
    "exchange.at_record" => "记录", "record";
    "exchange.at_field" => "字段", "field";
    "exchange.import_log" => "导入记录", "Import log";
    "exchange.export_log" => "导出记录（个人信息外发留痕）", "Export log (personal data leaving the office)";
    "exchange.none_yet" => "暂无", "None yet";
    "exchange.queued" => "排队等待导入：", "Waiting to be imported:";
    "exchange.report" => "导入报告", "Import report";
    "exchange.change_list" => "查看变更的记录", "The records that change";
    "exchange.record" => "记录", "Record";
    "exchange.change" => "变更", "Change";
    "exchange.progress" => "进度", "Progress";
    "exchange.stage_read" => "正在读取、解密和检查文件…", "Reading, decrypting and checking the file…";
    "exchange.stage_checksum" => "正在核对文件校验和…", "Verifying the file's checksum…";
    "exchange.stage_plan" => "正在逐条比对记录…", "Comparing records…";
    "exchange.stage_write" => "正在写入…", "Writing…";
    "exchange.stage_settle" => "正在检查上下级关系…", "Checking parents and children…";
    "exchange.stage_export" => "正在导出…", "Exporting…";
    "exchange.when" => "时间", "When";
    "exchange.file" => "文件", "File";
    "exchange.from" => "来源", "From";
    "exchange.who" => "操作人", "By";
    "exchange.masked" => "脱敏", "Masked";
    "exchange.encrypted" => "加密", "Encrypted";

    "problem.required" => "必填", "Required";
    "problem.too_long" => "太长了", "Too long";
    "problem.digits_12" => "应为12位数字", "Must be 12 digits";
    "problem.digits_9" => "应为9位数字", "Must be 9 digits";
    "problem.id_format" => "应为18位：17位数字加1位数字或X", "Must be 18 characters: 17 digits and a digit or X";
    "problem.id_birth_date" => "身份证号中的出生日期不存在", "The birth date inside the ID number is not a real date";
    "problem.id_checksum" => "校验位不正确，请核对号码", "The check digit is wrong; please check the number";
    "problem.id_birth_mismatch" => "与填写的出生日期不一致", "Does not match the birth date entered";
    "problem.id_gender_mismatch" => "与填写的性别不一致", "Does not match the gender entered";
    "problem.date_format" => "日期格式应为 年-月-日", "Use the form YYYY-MM-DD";
    "problem.date_in_future" => "不能晚于今天", "Cannot be in the future";
    "problem.phone_format" => "请输入11位手机号或固定电话", "Enter an 11-digit mobile or a landline number";
    "problem.duplicate" => "已存在相同记录", "Already exists";
    "problem.unknown" => "无效的选择", "Not a valid choice";
    "problem.id_number_lost" => "被存成了数字，后几位已丢失（请把该列设为文本格式后重新填写）", "Stored as a number, so its last digits are lost (format the column as text and type it again)";
    "problem.id_number_masked" => "是脱敏后的号码，无法导入", "Is a masked number and cannot be imported";
    "problem.duplicate_in_file" => "与文件第 {arg} 行的身份证号重复", "Same ID number as line {arg} of the file";
    "problem.grid_unknown" => "找不到网格“{arg}”", "No grid named “{arg}”";
    "problem.grid_ambiguous" => "有多个网格叫“{arg}”，请写上级网格，如 第一网格/幸福里", "Several grids are named “{arg}”; add the parent, e.g. Grid 1/Xingfuli";
    "problem.grid_required" => "未填写网格（可在上方选择默认网格）", "No grid given (a default grid can be chosen above)";
    "problem.address_unparsed" => "无法从住址中识别楼栋和门牌号", "Building and room cannot be read from the address";
    "problem.tag_too_long" => "标签“{arg}”太长（最多12个字）", "The tag “{arg}” is too long (12 characters at most)";
    "problem.name_unmapped" => "请指定“姓名”所在的列", "Choose the column that holds the name";
    "problem.grid_unmapped" => "文件没有网格列，请选择默认网格", "The file has no grid column: choose a default grid";
    "ledger.title" => "导入居民台账", "Import a residents ledger";
    "ledger.back" => "返回居民列表", "Back to residents";
    "ledger.intro" => "选择社区现有的 Excel 或 CSV 居民台账。表头不必规范，系统会识别常用列名，请核对对应关系。导入前逐行检查：未通过的行不会写入，可下载后改正再导入；身份证号已登记的居民会被更新，不会重复。", "Choose the Excel or CSV residents ledger you already keep. Headers need not be tidy: common column names are recognised; check the mapping. Every row is checked first: rows that fail are not written and can be downloaded, fixed and imported again; a resident whose ID number is already in the ledger is updated, not duplicated.";
    "ledger.community" => "导入到社区", "Into community";
    "ledger.drop" => "把台账文件拖到这里，或", "Drop the ledger file here, or";
    "ledger.choose_file" => "选择文件", "Choose a file";
    "ledger.formats" => "支持 .xlsx、.xls、.ods 和 .csv（UTF-8 或 GBK 编码）", ".xlsx, .xls, .ods and .csv (UTF-8 or GBK)";
    "ledger.reading" => "正在读取文件…", "Reading the file…";
    "ledger.checking" => "正在逐行检查…", "Checking every row…";
    "ledger.writing" => "正在导入…", "Importing…";
    "ledger.mapping" => "核对列的对应关系", "Check which column is which";
    "ledger.rows_below" => "行数据", "rows of data";
    "ledger.sheet" => "工作表", "Sheet";
    "ledger.header_line" => "表头所在行", "Header row";
    "ledger.default_grid" => "默认网格", "Default grid";
    "ledger.no_default_grid" => "（不设）", "(none)";
    "ledger.default_grid_hint" => "网格一栏为空的新居民归入此网格", "New residents with no grid cell go to this grid";
    "ledger.file_column" => "文件中的列", "Column in the file";
    "ledger.maps_to" => "对应字段", "Maps to";
    "ledger.examples" => "示例", "Examples";
    "ledger.ignore" => "不导入", "Ignore";
    "ledger.field_name" => "姓名", "Name";
    "ledger.field_gender" => "性别", "Gender";
    "ledger.field_id_number" => "身份证号", "ID number";
    "ledger.field_birth_date" => "出生日期", "Birth date";
    "ledger.field_phone" => "联系电话", "Phone";
    "ledger.field_building" => "楼栋", "Building";
    "ledger.field_unit" => "单元", "Unit";
    "ledger.field_room" => "门牌号", "Room";
    "ledger.field_address" => "住址（一栏）", "Address (one column)";
    "ledger.field_grid" => "所属网格", "Grid";
    "ledger.field_tags" => "标签/人员类别", "Tags";
    "ledger.field_relation" => "与户主关系", "Relation to head";
    "ledger.field_note" => "备注", "Note";
    "ledger.field_politics" => "政治面貌（党员加“党员”标签）", "Political status (members get the 党员 tag)";
    "ledger.check" => "检查结果", "Check";
    "ledger.new" => "新增", "New";
    "ledger.update" => "更新", "Update";
    "ledger.rejected" => "未通过", "Rejected";
    "ledger.skipped" => "跳过（空行、合计、签名）", "Skipped (blank, totals, signatures)";
    "ledger.new_tags" => "将新建标签：", "New tags to be created: ";
    "ledger.apply" => "导入", "Import";
    "ledger.rows" => "条有效记录", "valid rows";
    "ledger.download_rejects" => "下载未通过的行（Excel）", "Download the rejected rows (Excel)";
    "ledger.rejects" => "未通过的行", "Rejected rows";
    "ledger.more_rejects" => "只列出前 2000 行；未通过的行共", "Only the first 2,000 are listed; rejected in all:";
    "ledger.first_rows" => "前 20 行预览", "The first 20 rows";
    "ledger.action" => "操作", "Action";
    "ledger.action_new" => "新增", "New";
    "ledger.action_update" => "更新", "Update";
    "ledger.done" => "导入完成", "Imported";
    "ledger.created" => "新增", "New";
    "ledger.updated" => "更新", "Updated";
    "ledger.households_created" => "新建住户", "Households created";
    "ledger.tags_created" => "新建标签：", "Tags created: ";
    "ledger.took" => "用时", "Took";
    "ledger.to_list" => "查看居民列表", "See the residents";
    "ledger.another" => "再导入一个文件", "Import another file";
    "residents.import" => "导入 Excel", "Import Excel";
    "nav.care" => "重点人群", "Key groups";
    "care.title" => "重点人群关爱", "Key-group care";
    "care.overdue" => "已逾期", "Overdue";
    "care.soon" => "即将到期", "Due soon";
    "care.never" => "从未走访", "Never visited";
    "care.people" => "人数", "People";
    "care.state" => "走访状态", "Visit state";
    "care.state_due" => "待走访", "To visit";
    "care.state_all" => "全部", "All";
    "care.worker" => "网格员", "Grid worker";
    "care.all_workers" => "全部网格员", "All workers";
    "care.empty" => "没有需要走访的人", "Nobody to visit";
    "care.overdue_by" => "逾期", "Overdue by";
    "care.days" => "天", "days";
    "care.due_on" => "应走访", "Due";
    "care.never_visited" => "从未走访", "Never visited";
    "care.last" => "上次走访", "Last visit";
    "care.every" => "每", "Every ";
    "care.pair" => "结对：", "Paired: ";
    "care.export_list" => "导出走访名单（Excel）", "Export the visit list (Excel)";
    "care.export_masked" => "导出时脱敏（姓名、电话）", "Mask names and phones in exports";
    "care.export_visits" => "导出走访记录（Excel）", "Export the visits (Excel)";
    "care.by_grid" => "按网格", "By grid";
    "care.by_worker" => "按网格员", "By worker";
    "care.no_worker" => "（未结对）", "(not paired)";
    "care.groups" => "重点人群分类与走访周期", "Key groups and visit cadences";
    "care.groups_hint" => "每类人群的走访周期（天），0 表示不需定期走访。个人可另设周期。", "Days between visits for each group; 0: no regular visits. A person can have their own.";
    "care.cadence" => "走访周期", "Cadence";
    "care.per_grid" => "各网格人数", "Per grid";
    "care.resident_record" => "居民档案", "Resident record";
    "care.no_plan" => "不在定期走访名单中（没有带走访周期的标签，也没有个人周期）。", "Not on a visit plan (no tag with a cadence, no personal cadence).";
    "care.ok" => "按期走访中", "Up to date";
    "care.record_visit" => "记录走访", "Record a visit";
    "care.visit_date" => "走访日期", "Visit date";
    "care.visitor" => "走访人", "Visited by";
    "care.condition" => "本人情况", "How the person is";
    "care.condition_good" => "良好", "Well";
    "care.condition_fair" => "一般", "Fair";
    "care.condition_poor" => "较差", "Poorly";
    "care.condition_hospital" => "住院", "In hospital";
    "care.condition_away" => "外出不在", "Away";
    "care.needs" => "发现的需求", "Needs found";
    "care.needs_hint" => "如：扶手松动、想办高龄津贴", "e.g. a loose handrail, help with an allowance";
    "care.note" => "备注", "Note";
    "care.save_visit" => "保存走访记录", "Save the visit";
    "care.visit_saved" => "走访已记录", "Visit recorded";
    "care.need_to" => "这条需求可以：", "This need can become:";
    "care.to_case" => "转为事件", "A case";
    "care.to_wish" => "转为微心愿", "A micro-wish";
    "care.visits" => "走访记录", "Visits";
    "care.no_visits" => "还没有走访记录", "No visits yet";
    "care.needs_found" => "需求：", "Needs: ";
    "care.linked_case" => "已转为事件", "Became a case";
    "care.linked_wish" => "已转为微心愿", "Became a micro-wish";
    "care.plan" => "结对关爱（1+1）", "Care pairing (1+1)";
    "care.plan_hint" => "一名网格员加一名党员结对；个人周期为 0 时按标签的周期走访。", "A grid worker and a party member; with a personal cadence of 0 the tags' cadence applies.";
    "care.party_member" => "结对党员", "Party member";
    "care.none" => "（无）", "(none)";
    "care.own_cadence" => "个人走访周期（天）", "Personal cadence (days)";
    "care.own_cadence_hint" => "0 = 按标签", "0 = from the tags";
    "care.save_plan" => "保存结对", "Save the pairing";
    "care.status_history" => "居住状态变动", "Status history";
    "care.no_events" => "没有变动记录", "No changes recorded";
    "care.event_moved" => "户内迁移（换住户）", "Moved to another household";
    "care.event_moved_out" => "迁出本社区", "Moved out";
    "care.event_died" => "死亡", "Died";
    "care.event_returned" => "迁回", "Moved back";
    "care.event_born" => "出生", "Born";
    "care.event_moved_in" => "迁入", "Moved in";
    "care.change" => "登记变动", "Record a change";
    "care.event_date" => "变动日期", "Date";
    "care.to_household" => "迁入住户", "To household";
    "care.find_household" => "输入楼栋或门牌查找", "Type a building or room";
    "care.record_change" => "保存变动", "Save the change";
    "party.title" => "网格党建", "Party organisation";
    "party.branches" => "网格党支部", "Grid branches";
    "party.groups" => "楼栋党小组", "Building groups";
    "party.members" => "党员", "Members";
    "party.centers" => "党员中心户", "Centre households";
    "party.center" => "中心户", "Centre";
    "party.by_grid" => "各网格党组织", "By grid";
    "party.orgs" => "党组织", "Organisations";
    "party.pairs" => "结对", "Pairs";
    "party.add_org" => "新建党支部/党小组", "Add a branch or group";
    "party.kind" => "类型", "Kind";
    "party.kind_branch" => "网格党支部", "Grid branch";
    "party.kind_group" => "楼栋党小组", "Building group";
    "party.name" => "名称", "Name";
    "party.parent" => "所属党支部", "Branch";
    "party.add_member" => "登记党员", "Add a member";
    "party.org" => "所在党组织", "Organisation";
    "party.from_residents" => "从居民中选择", "Pick from the residents";
    "party.role" => "职务", "Role";
    "party.role_secretary" => "书记", "Secretary";
    "party.role_committee" => "委员", "Committee";
    "party.role_member" => "党员", "Member";
    "party.joined_on" => "入党日期", "Joined";
    "party.make_center" => "设为党员中心户（其住户）", "Make their household a centre household";
    "party.org_saved" => "党组织已保存", "Saved";
    "party.member_saved" => "党员已保存", "Saved";
    "problem.center_needs_household" => "需选择有住户的居民", "Pick a resident who has a household";
    "problem.status_not_now" => "当前状态下不能登记这项变动", "Not possible in the current status";
    "case.state_done" => "已办结（含已评价）", "Closed (rated or not)";
    "dash.title" => "数据看板", "Dashboard";
    "dash.from" => "起始日期", "From";
    "dash.to" => "截止日期", "To";
    "dash.this_month" => "本月", "This month";
    "dash.last_month" => "上月", "Last month";
    "dash.this_year" => "今年", "This year";
    "dash.grid" => "网格", "Grid";
    "dash.all_grids" => "全部网格", "All grids";
    "dash.community" => "社区", "Community";
    "dash.whole_street" => "全街道", "Whole street";
    "dash.screen" => "大屏模式", "Wall display";
    "dash.exit_screen" => "退出大屏", "Leave the wall display";
    "dash.print" => "打印月报", "Print the month's report";
    "dash.report_title" => "月度工作报表", "Monthly report";
    "dash.cases" => "事件", "Cases";
    "dash.received" => "受理", "Received";
    "dash.closed" => "办结", "Closed";
    "dash.overdue" => "超期未办结", "Overdue";
    "dash.closure_rate" => "办结率", "Closure rate";
    "dash.satisfaction_rate" => "满意率", "Satisfaction rate";
    "dash.mean_hours" => "平均办结用时（小时）", "Average time to close (hours)";
    "dash.people" => "居民", "Residents";
    "dash.residents" => "在册居民", "Residents";
    "dash.households" => "户数", "Households";
    "dash.key_persons" => "重点人群", "Key persons";
    "dash.visits" => "重点人群走访", "Key-group visits";
    "dash.visits_overdue" => "逾期未走访", "Visits overdue";
    "dash.visits_soon" => "3天内到期", "Due in 3 days";
    "dash.volunteering" => "志愿服务", "Volunteering";
    "dash.volunteers" => "志愿者", "Volunteers";
    "dash.shifts_week" => "本周排班", "Shifts this week";
    "dash.hours" => "服务时长（小时）", "Service hours";
    "dash.other" => "其他", "Other";
    "dash.month" => "月", "";
    "dash.own_level" => "本级", "This grid itself";
    "dash.chart_weeks" => "每周事件（受理 / 办结）", "Cases per week (received / closed)";
    "dash.chart_categories" => "事件类别", "Cases by category";
    "dash.chart_grids" => "各网格事件", "Cases by grid";
    "dash.chart_communities" => "各社区事件", "Cases by community";
    "dash.chart_rates" => "办结率与满意率（%）", "Closure and satisfaction rates (%)";
    "dash.chart_channels" => "事件来源", "Cases by channel";
    "dash.chart_key_groups" => "各网格重点人群", "Key persons by grid";
    "dash.chart_hours" => "每月志愿服务时长（小时）", "Volunteer hours per month";
    "dash.no_charts" => "所选范围内还没有可绘制的数据", "Nothing to chart in this range yet";
    "dash.chart_failed" => "这张图表无法绘制", "This chart could not be drawn";
    "dash.by_community" => "各社区汇总", "By community";
    "dash.sort_hint" => "点击表头排序", "Click a heading to sort";
    "dash.how" => "口径说明：每个数字怎么算", "How each figure is computed";
    "dash.f_received" => "受理：所选日期内上报的事件数（不含作废）", "Received: cases reported in the range (voided ones left out)";
    "dash.f_closed" => "办结：其中截至现在已结案的事件数（含已评价）", "Closed: of them, closed by now (rated or not)";
    "dash.f_overdue" => "超期未办结：其中尚未结案且已过处置时限的事件数", "Overdue: of them, not closed and past their deadline";
    "dash.f_closure" => "办结率 = 办结 ÷ 受理", "Closure rate = closed ÷ received";
    "dash.f_satisfaction" => "满意率 =（满意 + 基本满意）÷ 已评价的办结事件", "Satisfaction rate = (satisfied + basically satisfied) ÷ closed cases that were rated";
    "dash.f_hours" => "平均办结用时 = Σ（结案时间 − 上报时间）÷ 办结数，按自然小时", "Average time to close = Σ(closed − reported) ÷ closed, in clock hours";
    "dash.f_residents" => "在册居民：未迁出、未死亡的居民，不受日期范围限制", "Residents: living here now (not moved out or deceased); not limited by the dates";
    "dash.f_households" => "户数：台账上登记的户", "Households: on the ledger";
    "dash.f_key" => "重点人群：关爱走访名单上的在册居民，即带有走访周期标签（独居老人、残疾人等）或设有个人走访周期的居民，一人只计一次；各标签人数按标签分别统计", "Key persons: residents on the care list, i.e. with a key-group tag that has a visit cadence or a cadence of their own, each counted once; the counts per tag count each tag";
    "dash.f_visits" => "走访：按标签或个人走访周期计算，过了应走访日为逾期，3天内到期为将到期", "Visits: from the tag's or the person's cadence; past the due date is overdue, within 3 days is due soon";
    "dash.f_volunteers" => "志愿者：登记的志愿者人数（选定网格时按志愿者所属网格）", "Volunteers: on the ledger (with a grid chosen, of that grid)";
    "dash.f_shifts" => "本周排班：本周一至周日的值班班次", "Shifts this week: Monday to Sunday of this week";
    "dash.f_minutes" => "服务时长：时间银行在日期范围内记入的时长（完成的值班、登记的任务、完成的微心愿）", "Service hours: what the time bank credited in the range (done shifts, logged tasks, fulfilled micro-wishes)";
    "dash.f_weeks" => "每周事件：受理按上报所在周、办结按结案所在周统计，每周从周一开始", "Cases per week: received by the week reported, closed by the week closed; weeks start on Monday";
    "dash.f_grids" => "各网格：每行是一个一级网格（选定网格时为其下级网格及本级），含其全部下级网格", "By grid: each row is a first-level grid (with a grid chosen, its sub-grids and the grid itself), counting all grids under it";
    "dash.computed_in" => "统计用时", "Computed in";
    "dash.updated" => "数据更新于", "Updated";
    "dash.loading" => "正在统计…", "Computing…";
    "problem.date_before_from" => "截止日期不能早于起始日期", "The end date cannot be before the start date";
    "problem.range_too_long" => "日期范围最长三年", "The range can be three years at most";
    "home.visits" => "重点人群走访", "Key-group visits";
    "home.street_care" => "各社区重点人群走访", "Key-group visits by community";
    "home.community" => "社区", "Community";
    "home.whole_street" => "全街道", "Whole street";
    "home.visits_overdue" => "逾期未走访", "overdue";
    "home.visits_soon" => "3天内到期", "due in 3 days";
    "home.visits_all" => "查看走访名单", "See the visit list";
    "residents.status_filter" => "居住状态", "Status";
    "residents.arrival" => "登记原因", "Why registered";
    "residents.arrival_none" => "原有居民（补录）", "Already living here";
    "residents.care" => "关爱走访与变动", "Care, visits, status";
    "residents.status_active" => "在册居民", "Living here";
    "residents.status_moved_out" => "已迁出", "Moved out";
    "residents.status_deceased" => "已故", "Deceased";
    "residents.status_all" => "全部（含迁出、已故）", "All (incl. moved out, deceased)";
    "residents.export" => "导出 Excel", "Export Excel";
    "residents.export_mask" => "导出时脱敏：", "Mask in the export:";
    "residents.exporting" => "正在导出…", "Exporting…";
    "residents.exported" => "已导出", "Exported";
    "err.sheet_unreadable" => "无法读取此文件：它不是 Excel 或 CSV 表格，或已损坏", "This file cannot be read: it is not an Excel or CSV table, or it is damaged";
    "err.sheet_empty" => "文件中没有数据", "The file holds no data";
    "err.sheet_too_large" => "文件太大（最多 30 万行、64 MB）", "The file is too large (300,000 rows, 64 MB at most)";
    "err.sheet_encoding" => "无法识别文件的文字编码，请另存为 UTF-8 或 GBK 编码的 CSV", "The file's text encoding is unknown: save it as a UTF-8 or GBK CSV";
    "err.ledger_none" => "请先选择文件", "Choose a file first";
    "err.ledger_applied" => "这些行已经导入过了", "These rows have been imported already";
    "err.ledger_no_plan" => "请先检查文件", "Check the file first";
    "err.xlsx" => "无法生成 Excel 文件", "The Excel file could not be made";
    "ledger.column" => "列", "Column ";
    "ledger.line" => "行号", "Line";
    "ledger.reason" => "原因", "Reason";
    "ledger.rejects_sheet" => "未导入", "Not imported";
    "problem.level_names" => "需要2到6个层级名称，每个不超过10个字", "Give 2 to 6 level names of at most 10 characters";
    "problem.levels_in_use" => "网格树已用到更深的层级，不能减少", "The tree already uses deeper levels";
    // Micro-wishes (微心愿).
    "nav.wishes" => "微心愿", "Micro-wishes";
    "wish.title" => "微心愿", "Micro-wishes";
    "wish.intro" => "群众点单、社区派单、党员接单：记录居民的小心愿，由党员或志愿者认领并帮助实现。", "Residents wish, the community publishes, party members and volunteers claim: small wishes recorded, claimed and fulfilled.";
    "wish.new" => "记录心愿", "Record a wish";
    "wish.publish" => "发布到认领清单", "Publish to the claim list";
    "wish.state_filter" => "心愿状态", "Wish state";
    "wish.all" => "全部", "All";
    "wish.search" => "搜索心愿或心愿人", "Search wishes or wishers";
    "wish.empty" => "没有符合条件的心愿", "No wishes match";
    "wish.overdue" => "已过期望日期", "Past its date";
    "wish.due_by" => "期望", "wanted by";
    "wish.due_date" => "期望实现日期", "Wanted by";
    "wish.claimer" => "认领人", "Claimed by";
    "wish.volunteer" => "认领的党员或志愿者", "Party member or volunteer who claims it";
    "wish.party_member" => "党员", "party member";
    "wish.minutes" => "服务时长（分钟）", "Time spent (minutes)";
    "wish.minutes_unit" => "分钟", "min";
    "wish.time_spent" => "服务时长", "Time spent";
    "wish.minutes_hint" => "计入认领人的时间银行", "Credited to the claimer's time bank";
    "wish.wisher" => "心愿人", "Wisher";
    "wish.wisher_search" => "查找居民", "Find the resident";
    "wish.wisher_hint" => "按姓名、电话或身份证号后几位查找；不是登记居民的，直接填写姓名", "Search by name, phone or the last digits of the ID number; for someone not registered, type the name";
    "wish.wisher_name" => "心愿人姓名", "Wisher's name";
    "wish.wisher_phone" => "联系电话", "Phone";
    "wish.title_field" => "心愿内容", "The wish";
    "wish.title_hint" => "一句话，例如：想要一台收音机", "One line, e.g. a radio to listen to opera";
    "wish.detail" => "详细情况", "Details";
    "wish.fulfil_note" => "实现情况", "What was done";
    "wish.thanks_note" => "致谢内容", "The thanks";
    "wish.fulfilled_at" => "实现时间", "Fulfilled";
    "wish.state.published" => "待认领", "Open to claim";
    "wish.state.claimed" => "已认领", "Claimed";
    "wish.state.fulfilled" => "已实现", "Fulfilled";
    "wish.state.thanked" => "已致谢", "Thanked";
    "wish.state.cancelled" => "已撤销", "Cancelled";
    "wish.move.publish" => "记录并发布", "Recorded and published";
    "wish.move.claim" => "认领", "Claim";
    "wish.move.release" => "交回", "Give back";
    "wish.move.fulfil" => "标记已实现", "Mark fulfilled";
    "wish.move.thank" => "致谢", "Thank";
    "wish.move.cancel" => "撤销", "Cancel the wish";
    "err.wish_illegal_move" => "当前状态下不能进行这一步", "This step is not possible in the wish's current state";
    "err.wish_not_allowed" => "您的角色不能进行这一步", "Your role cannot take this step";
    "problem.wish_note_required" => "请填写", "Please fill this in";
    "problem.wish_reason_required" => "请填写撤销原因", "Give the reason";
    "problem.wish_volunteer_required" => "请选择认领人", "Choose who claims it";
    "problem.wish_minutes_range" => "应为0到1440之间的整数", "A whole number from 0 to 1440";
    "table.wishes" => "微心愿", "Micro-wishes";
    "table.wish_events" => "心愿办理记录", "Wish events";
    "table.wish_photos" => "心愿照片", "Wish photos";
    "mask.wisher_name" => "心愿人", "wisher";
    "mask.wisher_phone" => "心愿人电话", "wisher's phone";
    "table.resident_events" => "居民变动记录", "Resident status history";
    "table.party_orgs" => "党组织", "Party organisations";
    "table.party_members" => "党员", "Party members";
    "table.care_plans" => "结对关爱", "Care pairings";
    "table.visits" => "走访记录", "Home visits";
    "table.shifts" => "班次", "Shifts";
    "table.shift_people" => "班次人员", "People on shifts";
    "table.service_hours" => "服务时长", "Service hours";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `.t("key")` used in the UI sources has a translation.
    #[test]
    fn every_key_used_in_the_ui_exists() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out)
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(p)
                }
            }
        }
        let mut files = Vec::new();
        walk(
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/ui")),
            &mut files,
        );
        let mut missing = Vec::new();
        let mut used = 0;
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for part in text.split(".t(\"").skip(1) {
                let key = &part[..part.find('"').unwrap()];
                used += 1;
                if lookup(key).is_none() {
                    missing.push(format!("{}: {key}", f.display()));
                }
            }
        }
        assert!(used > 50, "found only {used} uses");
        assert!(missing.is_empty(), "missing translations: {missing:?}");
    }

    #[test]
    fn keys_are_unique() {
        let mut k = KEYS.to_vec();
        k.sort();
        k.dedup();
        assert_eq!(k.len(), KEYS.len());
    }
}
