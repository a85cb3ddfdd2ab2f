from builtins import print
