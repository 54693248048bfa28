//! Pure rules of grid governance: ids, clocks, ID numbers, grid trees, residents, staff roles
//! and the sample community. Nothing here knows about SQL, the DOM, workers or files.

pub mod bundle;
pub mod calendar;
pub mod care;
pub mod case;
pub mod category;
pub mod dashboard;
pub mod date;
pub mod division;
pub mod figures;
pub mod grid;
pub mod hlc;
pub mod id;
pub mod idcard;
pub mod ledger;
pub mod photo;
pub mod pinyin;
pub mod resident;
pub mod rng;
pub mod roster;
pub mod sample;
pub mod sample_care;
pub mod sample_cases;
pub mod sample_volunteers;
pub mod sample_wishes;
pub mod share;
pub mod staff;
pub mod volunteer;
pub mod wish;
