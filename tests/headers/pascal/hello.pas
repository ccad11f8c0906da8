{ SPDX-License-Identifier: MPL-2.0 }
program Hello;
begin
  WriteLn('hi');
end.
