// GENERATED from game_server/protocol/ by `python -m game_server.protocol --write`.
// Do not edit: a test fails when this file is stale.
// The wire contract as data: JSON Schema per event, error codes, limits, canvas size.
export const PROTOCOL = {
 "version": 1,
 "client_events": {
  "create_room": {
   "$ref": "#/$defs/CreateRoom",
   "$defs": {
    "CreateRoom": {
     "title": "CreateRoom",
     "type": "object",
     "properties": {
      "name": {
       "type": "string",
       "maxLength": 96,
       "minLength": 0,
       "pattern": "^[^\\ud800-\\udfff]*$"
      },
      "avatar": {
       "anyOf": [
        {
         "type": "string",
         "maxLength": 8,
         "pattern": "^(?:0|1|2|3|4|5|6|7|8|9|10|11)-(?:0|1|2|3|4|5|6|7)-(?:0|1|2)$(?!\\n)"
        },
        {
         "type": "null"
        }
       ],
       "default": null
      },
      "settings": {
       "$ref": "#/$defs/SettingsChanges"
      },
      "consent": {
       "type": "boolean",
       "default": false
      },
      "contributor": {
       "anyOf": [
        {
         "type": "string",
         "pattern": "^c[0-9a-f]{24}$"
        },
        {
         "type": "null"
        }
       ],
       "default": null
      }
     },
     "required": [
      "name"
     ]
    },
    "SettingsChanges": {
     "title": "SettingsChanges",
     "description": "A partial settings update; an unknown key is refused.",
     "type": "object",
     "properties": {
      "rounds": {
       "type": "integer",
       "minimum": 1,
       "maximum": 10
      },
      "draw_time": {
       "type": "integer",
       "minimum": 15,
       "maximum": 240
      },
      "word_choices": {
       "type": "integer",
       "minimum": 1,
       "maximum": 5
      },
      "hints": {
       "type": "integer",
       "minimum": 0,
       "maximum": 5
      },
      "max_players": {
       "type": "integer",
       "minimum": 2,
       "maximum": 12
      },
      "custom_words": {
       "type": "array",
       "items": {
        "type": "string",
        "maxLength": 128,
        "minLength": 0,
        "pattern": "^[^\\ud800-\\udfff]*$"
       },
       "maxItems": 200
      },
      "custom_only": {
       "type": "boolean"
      },
      "public": {
       "type": "boolean"
      },
      "ai_player": {
       "type": "boolean"
      },
      "mode": {
       "enum": [
        "classic",
        "race"
       ]
      },
      "ai_level": {
       "enum": [
        "easy",
        "hard",
        "normal"
       ]
      }
     },
     "required": [],
     "additionalProperties": false
    }
   }
  },
  "join_room": {
   "$ref": "#/$defs/JoinRoom",
   "$defs": {
    "JoinRoom": {
     "title": "JoinRoom",
     "type": "object",
     "properties": {
      "code": {
       "type": "string",
       "maxLength": 32,
       "minLength": 1,
       "pattern": "^[^\\ud800-\\udfff]*$"
      },
      "name": {
       "type": "string",
       "maxLength": 96,
       "minLength": 0,
       "pattern": "^[^\\ud800-\\udfff]*$"
      },
      "spectate": {
       "type": "boolean",
       "default": false
      },
      "avatar": {
       "anyOf": [
        {
         "type": "string",
         "maxLength": 8,
         "pattern": "^(?:0|1|2|3|4|5|6|7|8|9|10|11)-(?:0|1|2|3|4|5|6|7)-(?:0|1|2)$(?!\\n)"
        },
        {
         "type": "null"
        }
       ],
       "default": null
      },
      "consent": {
       "type": "boolean",
       "default": false
      },
      "contributor": {
       "anyOf": [
        {
         "type": "string",
         "pattern": "^c[0-9a-f]{24}$"
        },
        {
         "type": "null"
        }
       ],
       "default": null
      }
     },
     "required": [
      "code",
      "name"
     ]
    }
   }
  },
  "quick_play": {
   "$ref": "#/$defs/QuickPlay",
   "$defs": {
    "QuickPlay": {
     "title": "QuickPlay",
     "type": "object",
     "properties": {
      "name": {
       "type": "string",
       "maxLength": 96,
       "minLength": 0,
       "pattern": "^[^\\ud800-\\udfff]*$"
      },
      "avatar": {
       "anyOf": [
        {
         "type": "string",
         "maxLength": 8,
         "pattern": "^(?:0|1|2|3|4|5|6|7|8|9|10|11)-(?:0|1|2|3|4|5|6|7)-(?:0|1|2)$(?!\\n)"
        },
        {
         "type": "null"
        }
       ],
       "default": null
      },
      "consent": {
       "type": "boolean",
       "default": false
      },
      "contributor": {
       "anyOf": [
        {
         "type": "string",
         "pattern": "^c[0-9a-f]{24}$"
        },
        {
         "type": "null"
        }
       ],
       "default": null
      }
     },
     "required": [
      "name"
     ]
    }
   }
  },
  "rejoin": {
   "$ref": "#/$defs/Rejoin",
   "$defs": {
    "Rejoin": {
     "title": "Rejoin",
     "type": "object",
     "properties": {
      "token": {
       "type": "string",
       "maxLength": 64,
       "minLength": 1,
       "pattern": "^[^\\ud800-\\udfff]*$"
      }
     },
     "required": [
      "token"
     ]
    }
   }
  },
  "leave_room": {
   "$ref": "#/$defs/Empty",
   "$defs": {
    "Empty": {
     "title": "Empty",
     "description": "`leave_room`, `start_game`, `list_rooms`: `{}`.",
     "type": "object",
     "properties": {},
     "required": []
    }
   }
  },
  "update_settings": {
   "$ref": "#/$defs/UpdateSettings",
   "$defs": {
    "UpdateSettings": {
     "title": "UpdateSettings",
     "type": "object",
     "properties": {
      "settings": {
       "$ref": "#/$defs/SettingsChanges"
      }
     },
     "required": [
      "settings"
     ]
    },
    "SettingsChanges": {
     "title": "SettingsChanges",
     "description": "A partial settings update; an unknown key is refused.",
     "type": "object",
     "properties": {
      "rounds": {
       "type": "integer",
       "minimum": 1,
       "maximum": 10
      },
      "draw_time": {
       "type": "integer",
       "minimum": 15,
       "maximum": 240
      },
      "word_choices": {
       "type": "integer",
       "minimum": 1,
       "maximum": 5
      },
      "hints": {
       "type": "integer",
       "minimum": 0,
       "maximum": 5
      },
      "max_players": {
       "type": "integer",
       "minimum": 2,
       "maximum": 12
      },
      "custom_words": {
       "type": "array",
       "items": {
        "type": "string",
        "maxLength": 128,
        "minLength": 0,
        "pattern": "^[^\\ud800-\\udfff]*$"
       },
       "maxItems": 200
      },
      "custom_only": {
       "type": "boolean"
      },
      "public": {
       "type": "boolean"
      },
      "ai_player": {
       "type": "boolean"
      },
      "mode": {
       "enum": [
        "classic",
        "race"
       ]
      },
      "ai_level": {
       "enum": [
        "easy",
        "hard",
        "normal"
       ]
      }
     },
     "required": [],
     "additionalProperties": false
    }
   }
  },
  "start_game": {
   "$ref": "#/$defs/Empty",
   "$defs": {
    "Empty": {
     "title": "Empty",
     "description": "`leave_room`, `start_game`, `list_rooms`: `{}`.",
     "type": "object",
     "properties": {},
     "required": []
    }
   }
  },
  "choose_word": {
   "$ref": "#/$defs/ChooseWord",
   "$defs": {
    "ChooseWord": {
     "title": "ChooseWord",
     "type": "object",
     "properties": {
      "index": {
       "type": "integer",
       "minimum": 0,
       "maximum": 4
      }
     },
     "required": [
      "index"
     ]
    }
   }
  },
  "chat": {
   "$ref": "#/$defs/Chat",
   "$defs": {
    "Chat": {
     "title": "Chat",
     "type": "object",
     "properties": {
      "text": {
       "type": "string",
       "maxLength": 800,
       "minLength": 0,
       "pattern": "^[^\\ud800-\\udfff]*$"
      }
     },
     "required": [
      "text"
     ]
    }
   }
  },
  "draw": {
   "$ref": "#/$defs/Draw",
   "$defs": {
    "Draw": {
     "title": "Draw",
     "type": "object",
     "properties": {
      "seq": {
       "type": "integer",
       "minimum": 0,
       "maximum": 1000000000
      },
      "ops": {
       "type": "array",
       "items": {
        "anyOf": [
         {
          "$ref": "#/$defs/Stroke"
         },
         {
          "$ref": "#/$defs/MorePoints"
         },
         {
          "$ref": "#/$defs/Undo"
         },
         {
          "$ref": "#/$defs/Clear"
         }
        ],
        "discriminator": {
         "propertyName": "type",
         "mapping": {
          "stroke": "#/$defs/Stroke",
          "points": "#/$defs/MorePoints",
          "undo": "#/$defs/Undo",
          "clear": "#/$defs/Clear"
         }
        }
       },
       "maxItems": 64,
       "minItems": 1
      },
      "turn": {
       "anyOf": [
        {
         "type": "string",
         "maxLength": 64,
         "minLength": 1,
         "pattern": "^[^\\ud800-\\udfff]*$"
        },
        {
         "type": "null"
        }
       ],
       "default": null
      }
     },
     "required": [
      "seq",
      "ops"
     ]
    },
    "Stroke": {
     "title": "Stroke",
     "type": "object",
     "properties": {
      "type": {
       "enum": [
        "stroke"
       ]
      },
      "id": {
       "type": "integer",
       "minimum": 0,
       "maximum": 2147483647
      },
      "tool": {
       "enum": [
        "eraser",
        "pen"
       ]
      },
      "color": {
       "type": "string",
       "pattern": "^#[0-9a-fA-F]{6}$"
      },
      "width": {
       "anyOf": [
        {
         "type": "integer",
         "minimum": 1,
         "maximum": 60
        },
        {
         "type": "number",
         "minimum": 1,
         "maximum": 60
        }
       ]
      },
      "points": {
       "type": "array",
       "items": {
        "type": "array",
        "minItems": 2,
        "maxItems": 2,
        "prefixItems": [
         {
          "anyOf": [
           {
            "type": "integer",
            "minimum": 0,
            "maximum": 800
           },
           {
            "type": "number",
            "minimum": 0,
            "maximum": 800
           }
          ]
         },
         {
          "anyOf": [
           {
            "type": "integer",
            "minimum": 0,
            "maximum": 600
           },
           {
            "type": "number",
            "minimum": 0,
            "maximum": 600
           }
          ]
         }
        ],
        "items": false
       },
       "maxItems": 500,
       "minItems": 1
      }
     },
     "required": [
      "type",
      "id",
      "tool",
      "color",
      "width",
      "points"
     ]
    },
    "MorePoints": {
     "title": "MorePoints",
     "type": "object",
     "properties": {
      "type": {
       "enum": [
        "points"
       ]
      },
      "id": {
       "type": "integer",
       "minimum": 0,
       "maximum": 2147483647
      },
      "points": {
       "type": "array",
       "items": {
        "type": "array",
        "minItems": 2,
        "maxItems": 2,
        "prefixItems": [
         {
          "anyOf": [
           {
            "type": "integer",
            "minimum": 0,
            "maximum": 800
           },
           {
            "type": "number",
            "minimum": 0,
            "maximum": 800
           }
          ]
         },
         {
          "anyOf": [
           {
            "type": "integer",
            "minimum": 0,
            "maximum": 600
           },
           {
            "type": "number",
            "minimum": 0,
            "maximum": 600
           }
          ]
         }
        ],
        "items": false
       },
       "maxItems": 500,
       "minItems": 1
      }
     },
     "required": [
      "type",
      "id",
      "points"
     ]
    },
    "Undo": {
     "title": "Undo",
     "type": "object",
     "properties": {
      "type": {
       "enum": [
        "undo"
       ]
      }
     },
     "required": [
      "type"
     ]
    },
    "Clear": {
     "title": "Clear",
     "type": "object",
     "properties": {
      "type": {
       "enum": [
        "clear"
       ]
      }
     },
     "required": [
      "type"
     ]
    }
   }
  },
  "kick": {
   "$ref": "#/$defs/Target",
   "$defs": {
    "Target": {
     "title": "Target",
     "description": "`kick`, `vote_kick`, `transfer_host`.",
     "type": "object",
     "properties": {
      "player_id": {
       "type": "string",
       "maxLength": 64,
       "minLength": 1,
       "pattern": "^[^\\ud800-\\udfff]*$"
      }
     },
     "required": [
      "player_id"
     ]
    }
   }
  },
  "vote_kick": {
   "$ref": "#/$defs/Target",
   "$defs": {
    "Target": {
     "title": "Target",
     "description": "`kick`, `vote_kick`, `transfer_host`.",
     "type": "object",
     "properties": {
      "player_id": {
       "type": "string",
       "maxLength": 64,
       "minLength": 1,
       "pattern": "^[^\\ud800-\\udfff]*$"
      }
     },
     "required": [
      "player_id"
     ]
    }
   }
  },
  "transfer_host": {
   "$ref": "#/$defs/Target",
   "$defs": {
    "Target": {
     "title": "Target",
     "description": "`kick`, `vote_kick`, `transfer_host`.",
     "type": "object",
     "properties": {
      "player_id": {
       "type": "string",
       "maxLength": 64,
       "minLength": 1,
       "pattern": "^[^\\ud800-\\udfff]*$"
      }
     },
     "required": [
      "player_id"
     ]
    }
   }
  },
  "get_state": {
   "$ref": "#/$defs/GetState",
   "$defs": {
    "GetState": {
     "title": "GetState",
     "type": "object",
     "properties": {
      "gallery": {
       "type": "boolean",
       "default": false
      }
     },
     "required": []
    }
   }
  },
  "ai_guess": {
   "$ref": "#/$defs/AiGuess",
   "$defs": {
    "AiGuess": {
     "title": "AiGuess",
     "description": "Live guesses (and claims) of the drawer's AI; or, with `status` and no guesses, word that the\ndrawer's model is not ready yet (\"loading\", with download `progress` 0..1) or failed (\"unavailable\").",
     "type": "object",
     "properties": {
      "turn": {
       "type": "string",
       "maxLength": 64,
       "minLength": 1,
       "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f\\ud800-\\udfff]*$(?!\\n)"
      },
      "stroke_count": {
       "type": "integer",
       "minimum": 0,
       "maximum": 100000
      },
      "guesses": {
       "type": "array",
       "items": {
        "$ref": "#/$defs/Guess"
       },
       "maxItems": 10
      },
      "player": {
       "anyOf": [
        {
         "type": "string",
         "maxLength": 64,
         "minLength": 1,
         "pattern": "^[^\\ud800-\\udfff]*$"
        },
        {
         "type": "null"
        }
       ],
       "default": null
      },
      "provider": {
       "enum": [
        "wasm",
        "webgl",
        "webgpu"
       ]
      },
      "status": {
       "enum": [
        "loading",
        "unavailable"
       ]
      },
      "progress": {
       "type": "number",
       "minimum": 0.0,
       "maximum": 1.0
      }
     },
     "required": [
      "turn",
      "stroke_count",
      "guesses"
     ]
    },
    "Guess": {
     "title": "Guess",
     "type": "object",
     "properties": {
      "label": {
       "type": "string",
       "maxLength": 64,
       "minLength": 0,
       "pattern": "^[^\\ud800-\\udfff]*$"
      },
      "prob": {
       "type": "number",
       "minimum": 0.0,
       "maximum": 1.0
      }
     },
     "required": [
      "label",
      "prob"
     ]
    }
   }
  },
  "like": {
   "$ref": "#/$defs/Like",
   "$defs": {
    "Like": {
     "title": "Like",
     "type": "object",
     "properties": {
      "turn": {
       "type": "string",
       "maxLength": 64,
       "minLength": 1,
       "pattern": "^[^\\ud800-\\udfff]*$"
      },
      "like": {
       "type": "boolean"
      }
     },
     "required": [
      "turn",
      "like"
     ]
    }
   }
  },
  "set_consent": {
   "$ref": "#/$defs/SetConsent",
   "$defs": {
    "SetConsent": {
     "title": "SetConsent",
     "description": "`set_consent`: change the choice later (revocable at any time; spectators cannot share).",
     "type": "object",
     "properties": {
      "consent": {
       "type": "boolean"
      },
      "contributor": {
       "anyOf": [
        {
         "type": "string",
         "pattern": "^c[0-9a-f]{24}$"
        },
        {
         "type": "null"
        }
       ],
       "default": null
      }
     },
     "required": [
      "consent"
     ]
    }
   }
  },
  "list_rooms": {
   "$ref": "#/$defs/Empty",
   "$defs": {
    "Empty": {
     "title": "Empty",
     "description": "`leave_room`, `start_game`, `list_rooms`: `{}`.",
     "type": "object",
     "properties": {},
     "required": []
    }
   }
  }
 },
 "server_events": {
  "state": {
   "$ref": "#/$defs/State",
   "$defs": {
    "State": {
     "title": "State",
     "description": "The room view (also the `state` field of join acks).",
     "type": "object",
     "properties": {
      "code": {
       "type": "string"
      },
      "rev": {
       "type": "integer"
      },
      "now": {
       "type": "number"
      },
      "phase": {
       "enum": [
        "choosing",
        "drawing",
        "game_end",
        "lobby",
        "turn_end"
       ]
      },
      "deadline": {
       "anyOf": [
        {
         "type": "number"
        },
        {
         "type": "null"
        }
       ]
      },
      "host_id": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "null"
        }
       ]
      },
      "settings": {
       "$ref": "#/$defs/SettingsView"
      },
      "round": {
       "type": "integer"
      },
      "players": {
       "type": "array",
       "items": {
        "$ref": "#/$defs/PlayerView"
       }
      },
      "spectators": {
       "type": "array",
       "items": {
        "$ref": "#/$defs/SpectatorView"
       }
      },
      "drawer_id": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "null"
        }
       ]
      },
      "turn": {
       "anyOf": [
        {
         "$ref": "#/$defs/TurnView"
        },
        {
         "type": "null"
        }
       ]
      },
      "votes": {
       "type": "object",
       "additionalProperties": {
        "type": "integer"
       }
      },
      "ranking": {
       "anyOf": [
        {
         "type": "array",
         "items": {
          "$ref": "#/$defs/RankingRow"
         }
        },
        {
         "type": "null"
        }
       ]
      },
      "history": {
       "anyOf": [
        {
         "type": "array",
         "items": {
          "$ref": "#/$defs/HistoryEntry"
         }
        },
        {
         "type": "null"
        }
       ]
      },
      "rival": {
       "anyOf": [
        {
         "$ref": "#/$defs/Rival"
        },
        {
         "type": "null"
        }
       ]
      }
     },
     "required": [
      "code",
      "rev",
      "now",
      "phase",
      "deadline",
      "host_id",
      "settings",
      "round",
      "players",
      "spectators",
      "drawer_id",
      "turn",
      "votes",
      "ranking",
      "history",
      "rival"
     ],
     "additionalProperties": false
    },
    "SettingsView": {
     "title": "SettingsView",
     "type": "object",
     "properties": {
      "rounds": {
       "type": "integer"
      },
      "draw_time": {
       "type": "integer"
      },
      "word_choices": {
       "type": "integer"
      },
      "hints": {
       "type": "integer"
      },
      "custom_words": {
       "anyOf": [
        {
         "type": "array",
         "items": {
          "type": "string"
         }
        },
        {
         "type": "null"
        }
       ]
      },
      "custom_word_count": {
       "type": "integer"
      },
      "ai_player": {
       "type": "boolean"
      },
      "ai_level": {
       "enum": [
        "easy",
        "hard",
        "normal"
       ]
      },
      "custom_only": {
       "type": "boolean"
      },
      "public": {
       "type": "boolean"
      },
      "max_players": {
       "type": "integer"
      },
      "mode": {
       "enum": [
        "classic",
        "race"
       ]
      }
     },
     "required": [
      "rounds",
      "draw_time",
      "word_choices",
      "hints",
      "custom_words",
      "custom_word_count",
      "ai_player",
      "ai_level",
      "custom_only",
      "public",
      "max_players",
      "mode"
     ],
     "additionalProperties": false
    },
    "PlayerView": {
     "title": "PlayerView",
     "type": "object",
     "properties": {
      "id": {
       "type": "string"
      },
      "name": {
       "type": "string"
      },
      "score": {
       "type": "integer"
      },
      "connected": {
       "type": "boolean"
      },
      "guessed": {
       "type": "boolean"
      },
      "drawing": {
       "type": "boolean"
      },
      "kind": {
       "enum": [
        "ai",
        "human"
       ]
      },
      "shares": {
       "type": "boolean"
      },
      "avatar": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "null"
        }
       ]
      }
     },
     "required": [
      "id",
      "name",
      "score",
      "connected",
      "guessed",
      "drawing",
      "kind",
      "shares",
      "avatar"
     ],
     "additionalProperties": false
    },
    "SpectatorView": {
     "title": "SpectatorView",
     "type": "object",
     "properties": {
      "id": {
       "type": "string"
      },
      "name": {
       "type": "string"
      },
      "avatar": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "null"
        }
       ]
      }
     },
     "required": [
      "id",
      "name",
      "avatar"
     ],
     "additionalProperties": false
    },
    "TurnView": {
     "title": "TurnView",
     "type": "object",
     "properties": {
      "key": {
       "type": "string"
      },
      "pattern": {
       "type": "string"
      },
      "word_length": {
       "type": "array",
       "items": {
        "type": "integer"
       }
      },
      "word": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "null"
        }
       ]
      },
      "choices": {
       "anyOf": [
        {
         "type": "array",
         "items": {
          "type": "string"
         }
        },
        {
         "type": "null"
        }
       ]
      },
      "started_at": {
       "anyOf": [
        {
         "type": "number"
        },
        {
         "type": "null"
        }
       ]
      },
      "draw_time": {
       "type": "integer"
      },
      "deltas": {
       "anyOf": [
        {
         "type": "object",
         "additionalProperties": {
          "type": "integer"
         }
        },
        {
         "type": "null"
        }
       ]
      },
      "drawer_away_until": {
       "anyOf": [
        {
         "type": "number"
        },
        {
         "type": "null"
        }
       ]
      },
      "sketches": {
       "anyOf": [
        {
         "type": "object",
         "additionalProperties": {
          "$ref": "#/$defs/SketchView"
         }
        },
        {
         "type": "null"
        }
       ]
      },
      "winner": {
       "anyOf": [
        {
         "enum": [
          "ai",
          "humans"
         ]
        },
        {
         "type": "null"
        }
       ]
      }
     },
     "required": [
      "key",
      "pattern",
      "word_length",
      "word",
      "choices",
      "started_at",
      "draw_time",
      "deltas",
      "drawer_away_until",
      "sketches",
      "winner"
     ],
     "additionalProperties": false
    },
    "SketchView": {
     "title": "SketchView",
     "type": "object",
     "properties": {
      "place": {
       "anyOf": [
        {
         "type": "integer"
        },
        {
         "type": "null"
        }
       ]
      },
      "recognized_at": {
       "anyOf": [
        {
         "type": "number"
        },
        {
         "type": "null"
        }
       ]
      }
     },
     "required": [
      "place",
      "recognized_at"
     ],
     "additionalProperties": false
    },
    "RankingRow": {
     "title": "RankingRow",
     "type": "object",
     "properties": {
      "id": {
       "type": "string"
      },
      "name": {
       "type": "string"
      },
      "score": {
       "type": "integer"
      },
      "rank": {
       "type": "integer"
      }
     },
     "required": [
      "id",
      "name",
      "score",
      "rank"
     ],
     "additionalProperties": false
    },
    "HistoryEntry": {
     "title": "HistoryEntry",
     "description": "One finished drawing of the game's gallery (core/history.py).",
     "type": "object",
     "properties": {
      "key": {
       "type": "string"
      },
      "log": {
       "type": "string"
      },
      "round": {
       "type": "integer"
      },
      "drawer_id": {
       "type": "string"
      },
      "drawer_name": {
       "type": "string"
      },
      "word": {
       "type": "string"
      },
      "ai": {
       "anyOf": [
        {
         "$ref": "#/$defs/AiRecord"
        },
        {
         "type": "null"
        }
       ]
      },
      "drawer_avatar": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "null"
        }
       ],
       "default": null
      }
     },
     "required": [
      "key",
      "log",
      "round",
      "drawer_id",
      "drawer_name",
      "word",
      "ai"
     ],
     "additionalProperties": false
    },
    "AiRecord": {
     "title": "AiRecord",
     "description": "The server-verified recognition of a gallery drawing.",
     "type": "object",
     "properties": {
      "at_s": {
       "type": "number"
      },
      "prob": {
       "anyOf": [
        {
         "type": "number"
        },
        {
         "type": "null"
        }
       ]
      },
      "place": {
       "anyOf": [
        {
         "type": "integer"
        },
        {
         "type": "null"
        }
       ]
      }
     },
     "required": [
      "at_s",
      "prob",
      "place"
     ],
     "additionalProperties": false
    },
    "Rival": {
     "title": "Rival",
     "description": "The scoreline: turns won this game by each side.",
     "type": "object",
     "properties": {
      "humans": {
       "type": "integer"
      },
      "ai": {
       "type": "integer"
      }
     },
     "required": [
      "humans",
      "ai"
     ],
     "additionalProperties": false
    }
   }
  },
  "player_joined": {
   "$ref": "#/$defs/PlayerJoined",
   "$defs": {
    "PlayerJoined": {
     "title": "PlayerJoined",
     "type": "object",
     "properties": {
      "player_id": {
       "type": "string"
      },
      "name": {
       "type": "string"
      },
      "role": {
       "enum": [
        "player",
        "spectator"
       ]
      }
     },
     "required": [
      "player_id",
      "name",
      "role"
     ]
    }
   }
  },
  "player_left": {
   "$ref": "#/$defs/PlayerLeft",
   "$defs": {
    "PlayerLeft": {
     "title": "PlayerLeft",
     "type": "object",
     "properties": {
      "player_id": {
       "type": "string"
      },
      "name": {
       "type": "string"
      },
      "reason": {
       "enum": [
        "kicked",
        "left",
        "timeout",
        "votekick"
       ]
      }
     },
     "required": [
      "player_id",
      "name",
      "reason"
     ]
    }
   }
  },
  "chat": {
   "$ref": "#/$defs/ChatMessage",
   "$defs": {
    "ChatMessage": {
     "title": "ChatMessage",
     "type": "object",
     "properties": {
      "player_id": {
       "type": "string"
      },
      "name": {
       "type": "string"
      },
      "text": {
       "type": "string"
      },
      "channel": {
       "enum": [
        "all",
        "knowers"
       ]
      }
     },
     "required": [
      "player_id",
      "name",
      "text",
      "channel"
     ]
    }
   }
  },
  "close_guess": {
   "$ref": "#/$defs/CloseGuess",
   "$defs": {
    "CloseGuess": {
     "title": "CloseGuess",
     "type": "object",
     "properties": {
      "text": {
       "type": "string"
      }
     },
     "required": [
      "text"
     ]
    }
   }
  },
  "guessed": {
   "$ref": "#/$defs/Guessed",
   "$defs": {
    "Guessed": {
     "title": "Guessed",
     "type": "object",
     "properties": {
      "player_id": {
       "type": "string"
      },
      "name": {
       "type": "string"
      },
      "points": {
       "type": "integer"
      },
      "at_s": {
       "type": "number"
      },
      "prob": {
       "type": "number"
      },
      "turn_won": {
       "enum": [
        "ai",
        "humans"
       ]
      },
      "rival": {
       "$ref": "#/$defs/Rival"
      }
     },
     "required": [
      "player_id",
      "name",
      "points",
      "at_s"
     ]
    },
    "Rival": {
     "title": "Rival",
     "description": "The scoreline: turns won this game by each side.",
     "type": "object",
     "properties": {
      "humans": {
       "type": "integer"
      },
      "ai": {
       "type": "integer"
      }
     },
     "required": [
      "humans",
      "ai"
     ],
     "additionalProperties": false
    }
   }
  },
  "hint": {
   "$ref": "#/$defs/Hint",
   "$defs": {
    "Hint": {
     "title": "Hint",
     "type": "object",
     "properties": {
      "pattern": {
       "type": "string"
      }
     },
     "required": [
      "pattern"
     ]
    }
   }
  },
  "turn_started": {
   "$ref": "#/$defs/TurnStarted",
   "$defs": {
    "TurnStarted": {
     "title": "TurnStarted",
     "type": "object",
     "properties": {
      "drawer_id": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "null"
        }
       ]
      },
      "round": {
       "type": "integer"
      },
      "pattern": {
       "type": "string"
      },
      "word_length": {
       "type": "array",
       "items": {
        "type": "integer"
       }
      },
      "deadline": {
       "type": "number"
      },
      "mode": {
       "enum": [
        "race"
       ]
      },
      "word": {
       "type": "string"
      },
      "key": {
       "type": "string"
      },
      "prompts": {
       "type": "integer"
      }
     },
     "required": [
      "drawer_id",
      "round",
      "pattern",
      "word_length",
      "deadline"
     ]
    }
   }
  },
  "turn_ended": {
   "$ref": "#/$defs/TurnEnded",
   "$defs": {
    "TurnEnded": {
     "title": "TurnEnded",
     "type": "object",
     "properties": {
      "word": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "null"
        }
       ]
      },
      "reason": {
       "enum": [
        "all_guessed",
        "drawer_left",
        "time"
       ]
      },
      "deltas": {
       "type": "object",
       "additionalProperties": {
        "type": "integer"
       }
      },
      "results": {
       "type": "array",
       "items": {
        "type": "object"
       }
      },
      "winner": {
       "anyOf": [
        {
         "enum": [
          "ai",
          "humans"
         ]
        },
        {
         "type": "null"
        }
       ]
      },
      "rival": {
       "$ref": "#/$defs/Rival"
      }
     },
     "required": [
      "word",
      "reason",
      "deltas"
     ]
    },
    "Rival": {
     "title": "Rival",
     "description": "The scoreline: turns won this game by each side.",
     "type": "object",
     "properties": {
      "humans": {
       "type": "integer"
      },
      "ai": {
       "type": "integer"
      }
     },
     "required": [
      "humans",
      "ai"
     ],
     "additionalProperties": false
    }
   }
  },
  "game_ended": {
   "$ref": "#/$defs/GameEnded",
   "$defs": {
    "GameEnded": {
     "title": "GameEnded",
     "type": "object",
     "properties": {
      "ranking": {
       "type": "array",
       "items": {
        "$ref": "#/$defs/RankingRow"
       }
      },
      "rival": {
       "$ref": "#/$defs/RivalResult"
      }
     },
     "required": [
      "ranking"
     ]
    },
    "RankingRow": {
     "title": "RankingRow",
     "type": "object",
     "properties": {
      "id": {
       "type": "string"
      },
      "name": {
       "type": "string"
      },
      "score": {
       "type": "integer"
      },
      "rank": {
       "type": "integer"
      }
     },
     "required": [
      "id",
      "name",
      "score",
      "rank"
     ],
     "additionalProperties": false
    },
    "RivalResult": {
     "title": "RivalResult",
     "type": "object",
     "properties": {
      "humans": {
       "type": "integer"
      },
      "ai": {
       "type": "integer"
      },
      "winner": {
       "enum": [
        "ai",
        "draw",
        "humans"
       ]
      }
     },
     "required": [
      "humans",
      "ai",
      "winner"
     ],
     "additionalProperties": false
    }
   }
  },
  "vote_kick": {
   "$ref": "#/$defs/VoteKickCast",
   "$defs": {
    "VoteKickCast": {
     "title": "VoteKickCast",
     "type": "object",
     "properties": {
      "target_id": {
       "type": "string"
      },
      "voter_id": {
       "type": "string"
      },
      "votes": {
       "type": "integer"
      },
      "needed": {
       "type": "integer"
      }
     },
     "required": [
      "target_id",
      "voter_id",
      "votes",
      "needed"
     ]
    }
   }
  },
  "draw": {
   "$ref": "#/$defs/DrawRelay",
   "$defs": {
    "DrawRelay": {
     "title": "DrawRelay",
     "type": "object",
     "properties": {
      "seq": {
       "type": "integer"
      },
      "index": {
       "type": "integer"
      },
      "ops": {
       "type": "array",
       "items": {
        "type": "object"
       }
      },
      "player_id": {
       "type": "string"
      }
     },
     "required": [
      "seq",
      "index",
      "ops"
     ]
    }
   }
  },
  "kicked": {
   "$ref": "#/$defs/Kicked",
   "$defs": {
    "Kicked": {
     "title": "Kicked",
     "type": "object",
     "properties": {
      "reason": {
       "enum": [
        "kicked",
        "votekick"
       ]
      }
     },
     "required": [
      "reason"
     ]
    }
   }
  },
  "replaced": {
   "$ref": "#/$defs/Replaced",
   "$defs": {
    "Replaced": {
     "title": "Replaced",
     "type": "object",
     "properties": {},
     "required": []
    }
   }
  },
  "ai_guess": {
   "$ref": "#/$defs/AiGuessRelay",
   "$defs": {
    "AiGuessRelay": {
     "title": "AiGuessRelay",
     "type": "object",
     "properties": {
      "player_id": {
       "type": "string"
      },
      "turn": {
       "type": "string"
      },
      "stroke_count": {
       "type": "integer"
      },
      "guesses": {
       "type": "array",
       "items": {
        "type": "object"
       }
      },
      "provider": {
       "enum": [
        "wasm",
        "webgl",
        "webgpu"
       ]
      },
      "status": {
       "enum": [
        "loading",
        "unavailable"
       ]
      },
      "progress": {
       "anyOf": [
        {
         "type": "number"
        },
        {
         "type": "null"
        }
       ]
      }
     },
     "required": [
      "player_id",
      "turn",
      "stroke_count",
      "guesses"
     ]
    }
   }
  },
  "race_recognized": {
   "$ref": "#/$defs/RaceRecognized",
   "$defs": {
    "RaceRecognized": {
     "title": "RaceRecognized",
     "type": "object",
     "properties": {
      "player_id": {
       "type": "string"
      },
      "name": {
       "type": "string"
      },
      "place": {
       "type": "integer"
      },
      "points": {
       "type": "integer"
      },
      "time": {
       "type": "number"
      },
      "turn": {
       "type": "string"
      }
     },
     "required": [
      "player_id",
      "name",
      "place",
      "points",
      "time",
      "turn"
     ]
    }
   }
  },
  "liked": {
   "$ref": "#/$defs/Liked",
   "$defs": {
    "Liked": {
     "title": "Liked",
     "type": "object",
     "properties": {
      "turn": {
       "type": "string"
      },
      "player_id": {
       "type": "string"
      },
      "name": {
       "type": "string"
      },
      "like": {
       "type": "boolean"
      },
      "likes": {
       "type": "integer"
      },
      "dislikes": {
       "type": "integer"
      }
     },
     "required": [
      "turn",
      "player_id",
      "name",
      "like",
      "likes",
      "dislikes"
     ]
    }
   }
  }
 },
 "error_codes": [
  "bad_request",
  "invalid_text",
  "rate_limited",
  "not_in_room",
  "already_in_room",
  "room_not_found",
  "room_full",
  "spectators_full",
  "session_expired",
  "not_host",
  "wrong_phase",
  "not_allowed",
  "not_enough_players",
  "unknown_player",
  "word_in_chat",
  "already_voted",
  "seq_gap",
  "draw_limit",
  "unavailable",
  "internal",
  "protocol_mismatch",
  "unknown_event"
 ],
 "phases": [
  "lobby",
  "choosing",
  "drawing",
  "turn_end",
  "game_end"
 ],
 "canvas": {
  "width": 800,
  "height": 600
 },
 "limits": {
  "name": 24,
  "chat": 200,
  "opsPerBatch": 64,
  "pointsPerBatch": 500,
  "strokeWidth": [
   1,
   60
  ],
  "guesses": 10,
  "messageBytes": 262144
 },
 "providers": [
  "wasm",
  "webgl",
  "webgpu"
 ],
 "avatar": {
  "colors": 12,
  "faces": 8,
  "shapes": 3
 },
 "claimThreshold": 0.5,
 "aiLevels": {
  "easy": {
   "threshold": 0.7,
   "delay": 10.0
  },
  "normal": {
   "threshold": 0.6,
   "delay": 5.0
  },
  "hard": {
   "threshold": 0.5,
   "delay": 0.0
  }
 }
};
