//! Named C enums through the generated Rust bindings of tests/headers/shape_enums.h (guest:
//! tests/headers/shape_enums.c): a `#[repr]` enum per C enum with `TryFrom<repr>` (`Err(v)` for a
//! value naming no variant) and `From<Enum> for repr`; a repeated C value is an associated const;
//! functions keep integer parameters and returns, so values outside the enum still pass.

mod native_guest;

mod enums {
    bindgen_macro::wasm_bind!("headers/shape_enums.h", name = "ShapeEnums");
}

use enums::{Color, Flags, Level, ShapeEnums};

fn guest() -> ShapeEnums {
    static WASM: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let wasm = WASM.get_or_init(|| native_guest::build("shape_enums"));
    ShapeEnums::from_bytes(wasm).expect("the guest loads")
}

#[test]
fn enums_convert_both_ways() {
    assert_eq!(Color::try_from(7u32), Ok(Color::COLOR_BLUE));
    assert_eq!(Color::try_from(3u32), Err(3));
    assert_eq!(Color::COLOR_DEFAULT, Color::COLOR_RED);
    assert_eq!(u32::from(Flags::FLAG_TOP), 0x8000_0000);
    assert_eq!(i32::from(Level::LEVEL_LOW), -1);
    assert_eq!(Level::try_from(i32::MAX), Ok(Level::LEVEL_MAX));
    // the values stay constants of the class, as before
    assert_eq!(ShapeEnums::COLOR_BLUE, 7);
    assert_eq!(ShapeEnums::EN_ANON, 42);
}

#[test]
fn calls_take_and_return_the_integers() {
    let mut g = guest();
    assert_eq!(
        Color::try_from(g.en_next(Color::COLOR_GREEN.into()).unwrap()),
        Err(2)
    );
    assert_eq!(
        Color::try_from(g.en_next(6).unwrap()),
        Ok(Color::COLOR_BLUE)
    );
    assert_eq!(
        g.en_weight(Color::COLOR_BLUE.into(), Level::LEVEL_LOW.into())
            .unwrap(),
        6999
    );
    assert_eq!(
        Level::try_from(g.en_level(-1).unwrap()),
        Ok(Level::LEVEL_LOW)
    );
    assert_eq!(
        Flags::try_from(g.en_flip(0x8000_0001).unwrap()),
        Ok(Flags::FLAG_TOP)
    );
}
