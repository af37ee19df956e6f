//! `fupin report`.

use crate::common::TestEnv;

#[test]
fn refuses_a_missing_database() {
    let env = TestEnv::empty();
    let err = env.fails(&["report"], 2);
    assert!(!err.is_empty());
}
