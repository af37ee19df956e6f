//! `fupin export`.

use crate::common::TestEnv;

#[test]
fn refuses_a_missing_database() {
    let env = TestEnv::empty();
    let err = env.fails(&["export"], 1);
    assert!(!err.is_empty());
}
