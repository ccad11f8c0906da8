(*
 * SPDX-License-Identifier: LGPL-2.1-only WITH OCaml-LGPL-linking-exception
 *)
let () = print_endline "hi"
