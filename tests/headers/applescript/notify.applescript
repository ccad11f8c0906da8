(* SPDX-License-Identifier: MIT *)
display notification "done"
