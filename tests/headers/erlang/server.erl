%% SPDX-License-Identifier: Apache-2.0
-module(server).
-export([start/0]).
start() -> ok.
