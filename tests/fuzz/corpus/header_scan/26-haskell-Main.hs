{-
SPDX-License-Identifier: BSD-3-Clause
-}
module Main where

main :: IO ()
main = putStrLn "hi"
