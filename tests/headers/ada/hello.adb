-- SPDX-License-Identifier: GPL-3.0-or-later WITH GCC-exception-3.1
with Ada.Text_IO;
procedure Hello is begin Ada.Text_IO.Put_Line ("hi"); end Hello;
