#![no_main]

libfuzzer_sys::fuzz_target!(|input: &[u8]| meshapi::fuzzing::check_error_map(input));
