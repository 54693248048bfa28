//! Staff who work the grids and what each role may do. There is no login: the role of the
//! person using this device decides which actions the UI offers.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// 网格长
    GridLeader,
    /// 专职网格员
    FullTimeWorker,
    /// 兼职网格员
    PartTimeWorker,
    /// 微网格员
    MicroGridWorker,
    /// 社区干部
    CommunityCadre,
    /// 街道干部
    StreetCadre,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ManageGrids,
    ManageStaff,
    EditResidents,
    DispatchCase,
    VerifyCase,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::GridLeader,
        Role::FullTimeWorker,
        Role::PartTimeWorker,
        Role::MicroGridWorker,
        Role::CommunityCadre,
        Role::StreetCadre,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::GridLeader => "grid_leader",
            Role::FullTimeWorker => "full_time_worker",
            Role::PartTimeWorker => "part_time_worker",
            Role::MicroGridWorker => "micro_grid_worker",
            Role::CommunityCadre => "community_cadre",
            Role::StreetCadre => "street_cadre",
        }
    }

    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    pub fn may(self, action: Action) -> bool {
        use Action::*;
        use Role::*;
        match action {
            ManageGrids | ManageStaff => matches!(self, GridLeader | CommunityCadre | StreetCadre),
            EditResidents => true,
            DispatchCase => matches!(self, GridLeader | CommunityCadre | StreetCadre),
            VerifyCase => !matches!(self, PartTimeWorker),
        }
    }
}

/// A staff member's duty on one grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duty {
    Leader,
    Worker,
}

impl Duty {
    pub fn code(self) -> &'static str {
        match self {
            Duty::Leader => "leader",
            Duty::Worker => "worker",
        }
    }
    pub fn from_code(s: &str) -> Option<Duty> {
        match s {
            "leader" => Some(Duty::Leader),
            "worker" => Some(Duty::Worker),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_gate_actions() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        assert!(Role::GridLeader.may(Action::ManageGrids));
        assert!(!Role::PartTimeWorker.may(Action::ManageGrids));
        assert!(!Role::MicroGridWorker.may(Action::DispatchCase));
        assert!(Role::MicroGridWorker.may(Action::EditResidents));
    }
}
