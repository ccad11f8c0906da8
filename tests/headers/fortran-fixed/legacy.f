C     SPDX-License-Identifier: BSD-3-Clause
      PROGRAM LEGACY
      PRINT *, 'HI'
      END
