// SPDX-License-Identifier: MIT
module Program
[<EntryPoint>]
let main _ = 0
