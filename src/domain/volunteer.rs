//! Volunteers (志愿者) and their teams: who they are (a resident or an outside person), what
//! they can do, when they are free, and for party members registered from their workplace
//! (在职党员报到) the unit and the service posts they claimed. Lists of codes are stored as
//! comma-separated text; the codes are checked here.

use super::resident::normalize_phone;

/// Skills an office looks for.
pub const SKILLS: &[&str] = &[
    "medical",     // 医疗
    "legal",       // 法律
    "repair",      // 维修
    "counselling", // 心理疏导
    "driving",     // 驾驶
    "tutoring",    // 教学辅导
    "arts",        // 文艺
    "digital",     // 电脑手机
];

/// When a volunteer is usually free.
pub const AVAILABILITY: &[&str] = &["weekdays", "evenings", "weekends"];

/// Service posts an in-service party member can claim (认领岗位).
pub const POSTS: &[&str] = &[
    "party_guide", // 党建指导员
    "service",     // 便民服务员
    "opinion",     // 民意收集员
    "civility",    // 文明劝导员
    "safety",      // 平安巡逻员
    "environment", // 环境卫生监督员
];

pub const NAME_MAX: usize = 20;
pub const TEAM_NAME_MAX: usize = 30;

/// A volunteer as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VolunteerDraft<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    pub skills: &'a [String],
    pub availability: &'a [String],
    pub party_member: bool,
    pub in_service: bool,
    pub work_unit: &'a str,
    pub posts: &'a [String],
}

/// A checked volunteer: trimmed name, normalised phone, codes in their canonical order.
#[derive(Debug, Clone, PartialEq)]
pub struct Volunteer {
    pub name: String,
    pub phone: String,
    pub skills: String,
    pub availability: String,
    pub work_unit: String,
    pub posts: String,
}

/// Codes in the order of `known`, without repeats; `None` if one is unknown.
pub fn join_codes(codes: &[String], known: &[&str]) -> Option<String> {
    if codes.iter().any(|c| !known.contains(&c.as_str())) {
        return None;
    }
    Some(
        known
            .iter()
            .filter(|k| codes.iter().any(|c| c == *k))
            .copied()
            .collect::<Vec<_>>()
            .join(","),
    )
}

pub fn split_codes(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect()
}

/// Checks a volunteer; problems are (field, code) like every form.
pub fn validate(d: &VolunteerDraft) -> Result<Volunteer, Vec<(&'static str, &'static str)>> {
    let mut p = Vec::new();
    let name = d.name.trim();
    if name.is_empty() {
        p.push(("name", "required"));
    } else if name.chars().count() > NAME_MAX {
        p.push(("name", "too_long"));
    }
    let phone = if d.phone.trim().is_empty() {
        String::new()
    } else {
        normalize_phone(d.phone).unwrap_or_else(|| {
            p.push(("phone", "phone_format"));
            String::new()
        })
    };
    let skills = join_codes(d.skills, SKILLS).unwrap_or_else(|| {
        p.push(("skills", "unknown"));
        String::new()
    });
    let availability = join_codes(d.availability, AVAILABILITY).unwrap_or_else(|| {
        p.push(("availability", "unknown"));
        String::new()
    });
    let posts = join_codes(d.posts, POSTS).unwrap_or_else(|| {
        p.push(("posts", "unknown"));
        String::new()
    });
    let work_unit = d.work_unit.trim();
    if d.in_service {
        // 在职党员报到: a party member, from a workplace.
        if !d.party_member {
            p.push(("party_member", "in_service_needs_party"));
        }
        if work_unit.is_empty() {
            p.push(("work_unit", "required"));
        }
    } else if !posts.is_empty() {
        p.push(("posts", "posts_need_in_service"));
    }
    if !p.is_empty() {
        return Err(p);
    }
    Ok(Volunteer {
        name: name.into(),
        phone,
        skills,
        availability,
        work_unit: if d.in_service {
            work_unit.into()
        } else {
            String::new()
        },
        posts,
    })
}

pub fn validate_team(name: &str) -> Result<String, (&'static str, &'static str)> {
    let name = name.trim();
    if name.is_empty() {
        return Err(("name", "required"));
    }
    if name.chars().count() > TEAM_NAME_MAX {
        return Err(("name", "too_long"));
    }
    Ok(name.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn a_volunteer_is_checked_and_normalised() {
        let skills = v(&["driving", "medical", "driving"]);
        let ok = validate(&VolunteerDraft {
            name: " 张秀兰 ",
            phone: "138 0013 8000",
            skills: &skills,
            availability: &v(&["weekends"]),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.name, "张秀兰");
        assert_eq!(ok.phone, "13800138000");
        assert_eq!(ok.skills, "medical,driving", "canonical order, no repeats");
        assert_eq!(split_codes(&ok.skills), v(&["medical", "driving"]));
    }

    #[test]
    fn problems_name_their_field() {
        let e = validate(&VolunteerDraft {
            name: "",
            phone: "12345",
            skills: &v(&["juggling"]),
            in_service: true,
            posts: &v(&["service"]),
            ..Default::default()
        })
        .unwrap_err();
        assert!(e.contains(&("name", "required")));
        assert!(e.contains(&("phone", "phone_format")));
        assert!(e.contains(&("skills", "unknown")));
        assert!(e.contains(&("party_member", "in_service_needs_party")));
        assert!(e.contains(&("work_unit", "required")));
        let e = validate(&VolunteerDraft {
            name: "李四",
            posts: &v(&["service"]),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e, [("posts", "posts_need_in_service")]);
        assert!(validate_team("  ").is_err());
        assert_eq!(validate_team(" 楼院发声员 ").unwrap(), "楼院发声员");
    }
}
