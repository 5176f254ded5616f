//! Hand-built models shared by the back ends' unit tests (`emit::python::tests`, `emit::js::tests`).

use std::path::PathBuf;

use crate::ir::{CType, Loc, Prim};
use crate::model::{Arena, Decision, FnBinding, Model, ParamBinding, Ret, Role};

/// A parameter `name` of C type `uint8_t` with `role`.
pub fn param(name: &str, role: Role) -> ParamBinding {
    ParamBinding {
        name: name.into(),
        c_type: CType::Prim {
            prim: Prim::U8,
            typedef: None,
        },
        loc: Loc::default(),
        role,
        decided_by: Decision::Rule("test"),
        max: None,
    }
}

/// A function `name` (its method named the same) with `params` and `ret`.
pub fn func(name: &str, params: Vec<ParamBinding>, ret: Ret) -> FnBinding {
    FnBinding {
        name: name.into(),
        method: name.into(),
        doc: None,
        loc: Loc::default(),
        params,
        ret,
        ret_decided_by: Decision::Rule("test"),
        handle_method: None,
        ret_enum: None,
        error_message: None,
    }
}

/// The model of a header `demo.h` (class `Demo`) binding `functions`, with nothing else.
pub fn demo_model(functions: Vec<FnBinding>) -> Model {
    Model {
        stem: "demo".into(),
        class_name: "Demo".into(),
        header: PathBuf::from("/somewhere/demo.h"),
        inputs: vec![],
        arena: Arena::default(),
        functions,
        skipped: vec![],
        constants: vec![],
        structs: vec![],
        globals: vec![],
        enums: vec![],
        wasi: false,
    }
}
