"""The 345 Quick, Draw! categories (Google's names) and the presets the CLI accepts.

Labels are Google's category names exactly (e.g. "The Eiffel Tower", "t-shirt"); file names in Google's
bucket keep them as they are, while the shared copies and many mirrors use :func:`slug` (lowercase,
spaces and dashes -> "_"). Pure data, no imports beyond the standard library.
"""

from __future__ import annotations

from collections.abc import Iterable

ALL: tuple[str, ...] = (
    "aircraft carrier", "airplane", "alarm clock", "ambulance", "angel", "animal migration",
    "ant", "anvil", "apple", "arm", "asparagus", "axe",
    "backpack", "banana", "bandage", "barn", "baseball", "baseball bat",
    "basket", "basketball", "bat", "bathtub", "beach", "bear",
    "beard", "bed", "bee", "belt", "bench", "bicycle",
    "binoculars", "bird", "birthday cake", "blackberry", "blueberry", "book",
    "boomerang", "bottlecap", "bowtie", "bracelet", "brain", "bread",
    "bridge", "broccoli", "broom", "bucket", "bulldozer", "bus",
    "bush", "butterfly", "cactus", "cake", "calculator", "calendar",
    "camel", "camera", "camouflage", "campfire", "candle", "cannon",
    "canoe", "car", "carrot", "castle", "cat", "ceiling fan",
    "cell phone", "cello", "chair", "chandelier", "church", "circle",
    "clarinet", "clock", "cloud", "coffee cup", "compass", "computer",
    "cookie", "cooler", "couch", "cow", "crab", "crayon",
    "crocodile", "crown", "cruise ship", "cup", "diamond", "dishwasher",
    "diving board", "dog", "dolphin", "donut", "door", "dragon",
    "dresser", "drill", "drums", "duck", "dumbbell", "ear",
    "elbow", "elephant", "envelope", "eraser", "eye", "eyeglasses",
    "face", "fan", "feather", "fence", "finger", "fire hydrant",
    "fireplace", "firetruck", "fish", "flamingo", "flashlight", "flip flops",
    "floor lamp", "flower", "flying saucer", "foot", "fork", "frog",
    "frying pan", "garden", "garden hose", "giraffe", "goatee", "golf club",
    "grapes", "grass", "guitar", "hamburger", "hammer", "hand",
    "harp", "hat", "headphones", "hedgehog", "helicopter", "helmet",
    "hexagon", "hockey puck", "hockey stick", "horse", "hospital", "hot air balloon",
    "hot dog", "hot tub", "hourglass", "house", "house plant", "hurricane",
    "ice cream", "jacket", "jail", "kangaroo", "key", "keyboard",
    "knee", "knife", "ladder", "lantern", "laptop", "leaf",
    "leg", "light bulb", "lighter", "lighthouse", "lightning", "line",
    "lion", "lipstick", "lobster", "lollipop", "mailbox", "map",
    "marker", "matches", "megaphone", "mermaid", "microphone", "microwave",
    "monkey", "moon", "mosquito", "motorbike", "mountain", "mouse",
    "moustache", "mouth", "mug", "mushroom", "nail", "necklace",
    "nose", "ocean", "octagon", "octopus", "onion", "oven",
    "owl", "paint can", "paintbrush", "palm tree", "panda", "pants",
    "paper clip", "parachute", "parrot", "passport", "peanut", "pear",
    "peas", "pencil", "penguin", "piano", "pickup truck", "picture frame",
    "pig", "pillow", "pineapple", "pizza", "pliers", "police car",
    "pond", "pool", "popsicle", "postcard", "potato", "power outlet",
    "purse", "rabbit", "raccoon", "radio", "rain", "rainbow",
    "rake", "remote control", "rhinoceros", "rifle", "river", "roller coaster",
    "rollerskates", "sailboat", "sandwich", "saw", "saxophone", "school bus",
    "scissors", "scorpion", "screwdriver", "sea turtle", "see saw", "shark",
    "sheep", "shoe", "shorts", "shovel", "sink", "skateboard",
    "skull", "skyscraper", "sleeping bag", "smiley face", "snail", "snake",
    "snorkel", "snowflake", "snowman", "soccer ball", "sock", "speedboat",
    "spider", "spoon", "spreadsheet", "square", "squiggle", "squirrel",
    "stairs", "star", "steak", "stereo", "stethoscope", "stitches",
    "stop sign", "stove", "strawberry", "streetlight", "string bean", "submarine",
    "suitcase", "sun", "swan", "sweater", "swing set", "sword",
    "syringe", "t-shirt", "table", "teapot", "teddy-bear", "telephone",
    "television", "tennis racquet", "tent", "The Eiffel Tower", "The Great Wall of China", "The Mona Lisa",
    "tiger", "toaster", "toe", "toilet", "tooth", "toothbrush",
    "toothpaste", "tornado", "tractor", "traffic light", "train", "tree",
    "triangle", "trombone", "truck", "trumpet", "umbrella", "underwear",
    "van", "vase", "violin", "washing machine", "watermelon", "waterslide",
    "whale", "wheel", "windmill", "wine bottle", "wine glass", "wristwatch",
    "yoga", "zebra", "zigzag",
)

# The 50 categories of the lineage app (issue 3), in its order.
SEED50: tuple[str, ...] = (
    "airplane", "ant", "anvil", "apple", "axe", "banana",
    "baseball", "bicycle", "binoculars", "bird", "birthday cake", "bowtie",
    "butterfly", "camera", "campfire", "candle", "cannon", "car",
    "cat", "cloud", "crab", "crocodile", "dolphin", "elephant",
    "face", "fish", "flower", "fork", "hammer", "hand",
    "ice cream", "key", "knife", "mailbox", "microphone", "mushroom",
    "octopus", "screwdriver", "shark", "sheep", "shoe", "snake",
    "snowflake", "snowman", "spider", "star", "syringe", "umbrella",
    "wheel", "wine glass",
)

PRESETS: dict[str, tuple[str, ...]] = {"all": ALL, "seed50": SEED50}


def slug(name: str) -> str:
    """File-name form used by the shared data: "The Eiffel Tower" -> "the_eiffel_tower"."""
    return name.lower().replace(" ", "_").replace("-", "_")


_BY_SLUG = {slug(n): n for n in ALL}


def canonical(name: str) -> str:
    """Google's name for ``name`` given in any case, with spaces, dashes or underscores."""
    key = slug(name.strip())
    if key not in _BY_SLUG:
        raise ValueError(f"unknown Quick, Draw! category: {name!r}")
    return _BY_SLUG[key]


def resolve(items: Iterable[str]) -> list[str]:
    """Expand presets and comma lists into canonical names, keeping order, without duplicates."""
    out: list[str] = []
    for item in items:
        for part in item.split(","):
            part = part.strip()
            if not part:
                continue
            names = PRESETS[part.lower()] if part.lower() in PRESETS else (canonical(part),)
            out.extend(n for n in names if n not in out)
    return out
