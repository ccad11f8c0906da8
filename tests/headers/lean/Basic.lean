/-
SPDX-License-Identifier: Apache-2.0
-/
theorem t : True := trivial
