require "a\"b" v1
replace a v1 => ../x
