" SPDX-License-Identifier: Vim
let g:demo = "value"
