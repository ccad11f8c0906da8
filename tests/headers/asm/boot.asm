; SPDX-License-Identifier: MIT
section .text
global _start
