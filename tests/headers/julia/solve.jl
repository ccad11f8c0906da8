#=
SPDX-FileCopyrightText: 2024 Solver Authors
SPDX-License-Identifier: MIT
=#
solve(x) = x
