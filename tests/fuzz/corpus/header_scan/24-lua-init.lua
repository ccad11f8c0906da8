--[[
SPDX-License-Identifier: MIT
]]
local M = {}
return M
