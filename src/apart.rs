//! Decoding a large enum one variant at a time.
//!
//! `Request` has some 150 variants. Serde's derived decoder calls each variant's content
//! decoder from one place, so LLVM inlines them all into one function: 174 KB of wasm for the
//! JSON decoder of `Request` alone. V8 compiles a function whole, the first time it runs: a
//! fresh worker spent 20–35 ms of its first request compiling that one, then optimised it
//! again in the background. [`deserialize`] wraps the deserializer so that each variant's
//! content is decoded by a function of its own (`#[inline(never)]`), at any depth reached
//! through a variant: V8 compiles the variants a session uses. The format is unchanged.

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, VariantAccess, Visitor};
use std::fmt;

/// Deserializes a `T` from `d` with each enum variant's content decoded apart.
pub fn deserialize<'de, T, D>(d: D) -> Result<T, D::Error>
where
    T: de::Deserialize<'de>,
    D: Deserializer<'de>,
{
    T::deserialize(Apart(d))
}

struct Apart<D>(D);

macro_rules! delegate {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
            self.0.$method(v)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Apart<D> {
    type Error = D::Error;

    delegate! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, v)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, v)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        v: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, v)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_struct(name, fields, v)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, EnumVisitor(v))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

struct EnumVisitor<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for EnumVisitor<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Enum(data))
    }
}

struct Enum<A>(A);

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Enum<A> {
    type Error = A::Error;
    type Variant = Variant<A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), A::Error> {
        self.0
            .variant_seed(seed)
            .map(|(v, rest)| (v, Variant(rest)))
    }
}

struct Variant<A>(A);

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Variant<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    #[inline(never)]
    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, A::Error> {
        self.0.newtype_variant_seed(Seed(seed))
    }

    #[inline(never)]
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, v)
    }

    #[inline(never)]
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, v)
    }
}

/// A newtype variant's content, itself decoded apart (`Ok(Response::…)`).
struct Seed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Apart(d))
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum Inner {
        A,
        B(Vec<u8>),
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum Outer {
        Unit,
        Newtype(Option<Inner>),
        Tuple(u32, String),
        Struct { name: String, inner: Inner },
        Nested(Inner),
        Map(std::collections::BTreeMap<String, i64>),
    }

    fn all() -> Vec<Outer> {
        vec![
            Outer::Unit,
            Outer::Newtype(None),
            Outer::Newtype(Some(Inner::B(vec![1, 2]))),
            Outer::Tuple(7, "七".into()),
            Outer::Struct {
                name: "张三".into(),
                inner: Inner::A,
            },
            Outer::Nested(Inner::B(vec![])),
            Outer::Map([("a".to_string(), -1)].into_iter().collect()),
        ]
    }

    /// Decoding apart reads exactly what the derived decoder reads, in both encodings, and
    /// rejects what it rejects.
    #[test]
    fn decoding_apart_reads_what_the_derived_decoder_reads() {
        for v in all() {
            let json = serde_json::to_string(&v).unwrap();
            let mut de = serde_json::Deserializer::from_str(&json);
            let back: Outer = super::deserialize(&mut de).unwrap();
            de.end().unwrap();
            assert_eq!(back, v, "{json}");
            let bytes = postcard::to_allocvec(&v).unwrap();
            let back: Outer =
                super::deserialize(&mut postcard::Deserializer::from_bytes(&bytes)).unwrap();
            assert_eq!(back, v, "{bytes:?}");
        }
        for bad in [
            r#""Nope""#,
            r#"{"Tuple":[1]}"#,
            r#"{"Struct":{"name":"x"}}"#,
            "3",
        ] {
            let plain = serde_json::from_str::<Outer>(bad).map_err(|e| e.to_string());
            let mut de = serde_json::Deserializer::from_str(bad);
            let apart = super::deserialize::<Outer, _>(&mut de).map_err(|e| e.to_string());
            assert!(plain.is_err(), "{bad}");
            assert_eq!(apart, plain, "{bad}");
        }
        assert!(
            super::deserialize::<Outer, _>(&mut postcard::Deserializer::from_bytes(&[9])).is_err()
        );
    }
}
