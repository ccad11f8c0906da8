! SPDX-License-Identifier: BSD-3-Clause
program solver
  print *, "hi"
end program solver
