"""Write the demo catalog of a Chinese supermarket kiosk to assets/demo/catalog.csv.

The products are a table in this file; GTIN check digits are computed here. The output is
deterministic: item references are numbered in table order within each company prefix.

Usage: python scripts/make_demo_catalog.py [OUTPUT_CSV]
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[1] / "assets" / "demo" / "catalog.csv"

COLUMNS = (
    "gtin", "name_en", "name_zh_CN", "name_ko", "brand", "category", "tax_class", "price",
    "currency", "unit", "age_min", "sellable", "recalled", "recalled_lots", "deposit",
    "extra_gtins",
)
CATEGORIES = frozenset({
    "beverages", "dairy", "snacks", "bakery", "produce", "meat", "seafood", "frozen",
    "rice_noodles", "condiments", "household", "personal_care", "baby", "alcohol", "tobacco",
    "health",
})
AGE_RESTRICTED = {"alcohol": 18, "tobacco": 18}

R = "reduced"  # 9% VAT: basic foods, agricultural products, meat, rice, edible oil, dairy, water
S = "standard"  # 13% VAT: everything else

# GS1 company prefixes (invented): 690-699 China, 880 Korea, 400-440 Germany, 45/49 Japan,
# 471 Taiwan, 489 Hong Kong, 0 + UPC-A for US goods. Brands of one company share a prefix.
PREFIXES: dict[str, str] = {
    # China
    "Daily Select": "6940128",  # the store's own brand
    "Nongfu Spring": "6935412", "C'estbon": "6943570", "Coca-Cola": "6951287",
    "Sprite": "6951287", "Arctic Ocean": "6962418",
    "Genki Forest": "6975093", "Wong Lo Kat": "6948330", "Master Kong": "6938011",
    "Uni-President": "6947256", "Wahaha": "6916504", "Red Bull": "6925781",
    "Nescafé": "6917845", "Lipton": "6932560",
    "Yili": "6954023", "Mengniu": "6936172", "Bright Dairy": "6913047", "Sanyuan": "6958341",
    "Miaokelando": "6972150", "Yakult": "6939527", "Junlebao": "6944806",
    "Green Meadow": "6989203",
    "Lay's": "6933509", "Oreo": "6930168", "Want Want": "6911504",
    "Three Squirrels": "6971284", "Qiaqia": "6952106", "Weilong": "6968173", "Dove": "6942877",
    "Snickers": "6942877", "Bestore": "6973602", "Xu Fu Ji": "6917362",
    "White Rabbit": "6909174", "Extra": "6957390",
    "Taoli": "6946615", "Mankattan": "6961042", "Daliyuan": "6911825",
    "Arawana": "6948906", "Kemen": "6926417", "Haohuanluo": "6976238",
    "Haitian": "6931782", "Lao Gan Ma": "6963840", "Hengshun": "6907356", "Totole": "6920907",
    "Luhua": "6919582", "China Salt": "6929451", "Juancheng": "6955217",
    "Wang Shouyi": "6934078", "Wujiang": "6905368",
    "Wanchai Ferry": "6933861", "Sinian": "6921458", "Anjoy": "6938450",
    "Northern Chef": "6987312",
    "Blue Moon": "6937740", "Liby": "6949613", "Tide": "6912688", "Vinda": "6957612",
    "Mind Act Upon Mind": "6966019", "Miaojie": "6926745", "Nanfu": "6940350",
    "Lanju": "6958822", "Dettol": "6915993",
    "Colgate": "6938552", "Yunnan Baiyao": "6945312", "Oral-B": "6912688",
    "Head & Shoulders": "6912688", "Safeguard": "6912688", "Whisper": "6912688",
    "Pampers": "6912688", "Lux": "6917521", "Dabao": "6923360",
    "Feihe": "6945971", "Little Sprout": "6986541",
    "Tsingtao": "6930847", "Snow": "6935624", "Yanjing": "6908150", "Yanghe": "6924577",
    "Red Star": "6906818", "Great Wall": "6915273",
    "Chunghwa": "6919874", "Double Happiness": "6928153", "Furong Wang": "6917653",
    "Yunyan": "6956104",
    "By-health": "6952473", "999": "6903775", "Winner Medical": "6970623",
    # Taiwan
    "Mr. Brown": "4710392", "Kuai Kuai": "4712830", "Wei Lih": "4710587",
    "Taiwan Beer": "4713609",
    # Hong Kong
    "Vitasoy": "4891028", "Garden": "4892136", "Wing Wah": "4897410", "Lee Kum Kee": "4895063",
    "Taikoo": "4893702", "Darlie": "4891573", "Walch": "4894120",
    # Korea
    "Binggrae": "8806243", "Lotte": "8807518", "Orion": "8804471", "Nongshim": "8808132",
    "Haitai": "8805690", "Samyang": "8809014", "Bibigo": "8806537", "CJ Haechandle": "8806537",
    "Ottogi": "8802958", "Jinro": "8808706", "Mediheal": "8809561",
    "Cheong Kwan Jang": "8807039",
    # Germany
    "Weihenstephan": "4401753", "Ritter Sport": "4207381", "Haribo": "4015284",
    "Paulaner": "4021371", "Nivea": "4038216", "Aptamil": "4029104", "Frosch": "4330582",
    # Japan
    "Glico": "4902635", "Calpis": "4905172", "Ito En": "4571628", "Calbee": "4907413",
    "Kewpie": "4906270", "Kikkoman": "4573094", "Kao": "4909158", "Merries": "4909158",
    "Shiseido": "4908731", "Pigeon": "4576810", "Asahi": "4906519", "Ajinomoto": "4574402",
    # United States: "0" + the UPC-A company prefix
    "Ocean Spray": "0078215", "Hershey's": "0051382", "Pringles": "0064917",
    "Heinz": "0076148", "Skippy": "0085230", "Scotch-Brite": "0068427", "Ziploc": "0072954",
    "Gillette": "0059381", "Band-Aid": "0083706", "Jack Daniel's": "0088513",
}

# (brand, tax class, price in yuan, English name, Simplified Chinese name, Korean name)
Row = tuple[str, str, str, str, str, str]

SECTIONS: tuple[tuple[str, tuple[Row, ...]], ...] = (
    ("beverages", (
        ("Nongfu Spring", R, "2.00", "Nongfu Spring Natural Water 550ml",
         "农夫山泉 饮用天然水 550ml", "농푸산취안 천연수 550ml"),
        ("Nongfu Spring", R, "9.90", "Nongfu Spring Natural Water 4L",
         "农夫山泉 饮用天然水 4L", "농푸산취안 천연수 4L"),
        ("Nongfu Spring", S, "6.80", "Nongfu Spring NFC Orange Juice 300ml",
         "农夫山泉 NFC橙汁 300ml", "농푸산취안 NFC 오렌지주스 300ml"),
        ("Nongfu Spring", S, "5.00", "Oriental Leaf Jasmine Tea 500ml",
         "东方树叶 茉莉花茶 500ml", "둥팡수예 재스민차 500ml"),
        ("C'estbon", R, "2.00", "C'estbon Purified Water 555ml",
         "怡宝 纯净水 555ml", "이바오 정제수 555ml"),
        ("Daily Select", R, "2.50", "Daily Select Purified Water 1.5L",
         "每日优选 饮用纯净水 1.5L", "데일리 셀렉트 정제수 1.5L"),
        ("Coca-Cola", S, "3.00", "Coca-Cola Can 330ml",
         "可口可乐 罐装 330ml", "코카콜라 캔 330ml"),
        ("Coca-Cola", S, "3.50", "Coca-Cola Bottle 500ml",
         "可口可乐 瓶装 500ml", "코카콜라 페트 500ml"),
        ("Coca-Cola", S, "2.50", "Coca-Cola Glass Bottle 275ml",
         "可口可乐 玻璃瓶 275ml", "코카콜라 유리병 275ml"),
        ("Sprite", S, "3.50", "Sprite Lemon-Lime Soda 500ml",
         "雪碧 柠檬味汽水 500ml", "스프라이트 레몬라임 탄산음료 500ml"),
        ("Arctic Ocean", S, "4.50", "Arctic Ocean Orange Soda Glass Bottle 248ml",
         "北冰洋 桔汁汽水 玻璃瓶 248ml", "베이빙양 귤 탄산음료 유리병 248ml"),
        ("Genki Forest", S, "5.50", "Genki Forest White Peach Sparkling Water 480ml",
         "元气森林 白桃味苏打气泡水 480ml", "위안치썬린 백도맛 탄산수 480ml"),
        ("Wong Lo Kat", S, "3.50", "Wong Lo Kat Herbal Tea Can 310ml",
         "王老吉 凉茶 罐装 310ml", "왕라오지 허브티 캔 310ml"),
        ("Master Kong", S, "3.00", "Master Kong Iced Black Tea 500ml",
         "康师傅 冰红茶 500ml", "캉스푸 아이스 홍차 500ml"),
        ("Master Kong", S, "3.00", "Master Kong Green Tea 500ml",
         "康师傅 绿茶 500ml", "캉스푸 녹차 500ml"),
        ("Uni-President", S, "4.50", "Uni-President Assam Milk Tea 500ml",
         "统一 阿萨姆奶茶 500ml", "퉁이 아삼 밀크티 500ml"),
        ("Wahaha", S, "9.90", "Wahaha AD Calcium Milk Drink 220g x 4",
         "娃哈哈 AD钙奶 220g×4", "와하하 AD 칼슘 밀크 음료 220g×4"),
        ("Red Bull", S, "6.00", "Red Bull Energy Drink 250ml",
         "红牛 维生素功能饮料 250ml", "레드불 에너지 드링크 250ml"),
        ("Nescafé", S, "5.50", "Nescafé Latte Ready-to-Drink Coffee 268ml",
         "雀巢咖啡 丝滑拿铁 268ml", "네스카페 라떼 커피 268ml"),
        ("Nescafé", S, "16.90", "Nescafé 1+2 Original Instant Coffee 15g x 7",
         "雀巢咖啡 1+2 原味速溶咖啡 15g×7", "네스카페 1+2 오리지널 커피믹스 15g×7"),
        ("Lipton", S, "49.90", "Lipton Yellow Label Black Tea 100 Bags",
         "立顿 黄牌精选红茶 2g×100包", "립톤 옐로 라벨 홍차 티백 100개"),
        ("Vitasoy", S, "4.00", "Vitasoy Original Soy Milk Drink 250ml",
         "维他奶 原味豆奶 250ml", "비타소이 오리지널 두유 250ml"),
        ("Mr. Brown", S, "6.50", "Mr. Brown Blue Mountain Coffee 240ml",
         "伯朗 蓝山咖啡 240ml", "미스터브라운 블루마운틴 커피 240ml"),
        ("Binggrae", S, "9.90", "Binggrae Banana Flavored Milk 240ml",
         "宾格瑞 香蕉味牛奶 240ml", "빙그레 바나나맛우유 240ml"),
        ("Lotte", S, "5.50", "Lotte Chilsung Cider 250ml",
         "乐天 七星汽水 250ml", "롯데 칠성사이다 250ml"),
        ("Calpis", S, "7.50", "Calpis Water 500ml",
         "可尔必思 乳酸菌饮料 500ml", "칼피스 워터 500ml"),
        ("Ito En", S, "9.90", "Ito En Oi Ocha Green Tea 500ml",
         "伊藤园 绿茶 500ml", "이토엔 오이오차 녹차 500ml"),
        ("Ocean Spray", S, "39.90", "Ocean Spray Cranberry Juice Drink 1.89L",
         "优鲜沛 蔓越莓果汁饮料 1.89L", "오션스프레이 크랜베리 주스 1.89L"),
    )),
    ("dairy", (
        ("Yili", R, "3.50", "Yili Pure Milk 250ml",
         "伊利 纯牛奶 250ml", "이리 멸균우유 250ml"),
        ("Yili", R, "56.90", "Yili Pure Milk 250ml x 16",
         "伊利 纯牛奶 250ml×16盒", "이리 멸균우유 250ml×16팩"),
        ("Yili", R, "69.90", "Yili Satine Organic Milk 250ml x 12",
         "伊利 金典 有机纯牛奶 250ml×12盒", "이리 진뎬 유기농 우유 250ml×12팩"),
        ("Yili", R, "5.50", "Yili Ambrosial Greek-Style Yogurt 205g",
         "伊利 安慕希 希腊风味酸奶 205g", "이리 안무시 그릭 스타일 요거트 205g"),
        ("Yili", R, "13.90", "Yili QQ Star Kids Growth Milk 125ml x 4",
         "伊利 QQ星 儿童成长牛奶 125ml×4", "이리 QQ스타 어린이 성장 우유 125ml×4"),
        ("Mengniu", R, "12.50", "Mengniu Pure Milk 1L",
         "蒙牛 纯牛奶 1L", "멍뉴 멸균우유 1L"),
        ("Mengniu", R, "65.00", "Mengniu Deluxe Whole Milk 250ml x 12",
         "蒙牛 特仑苏 纯牛奶 250ml×12盒", "멍뉴 터룬쑤 우유 250ml×12팩"),
        ("Mengniu", R, "5.00", "Mengniu Just Yogurt 200g",
         "蒙牛 纯甄 风味酸奶 200g", "멍뉴 춘전 요거트 200g"),
        ("Bright Dairy", R, "16.80", "Bright Fresh Milk 950ml",
         "光明 鲜牛奶 950ml", "광밍 신선 우유 950ml"),
        ("Bright Dairy", R, "5.00", "Bright Mosliyan Ambient Yogurt 200g",
         "光明 莫斯利安 常温酸奶 200g", "광밍 모쓰리안 상온 요거트 200g"),
        ("Sanyuan", R, "4.50", "Sanyuan Old Beijing Yogurt Ceramic Jar 166g",
         "三元 老北京瓷瓶酸奶 166g", "싼위안 옛 베이징 도자기병 요거트 166g"),
        ("Junlebao", R, "19.90", "Junlebao Unsweetened Yogurt 100g x 8",
         "君乐宝 简醇 0添加蔗糖酸奶 100g×8", "쥔러바오 무가당 요거트 100g×8"),
        ("Green Meadow", R, "6.90", "Green Meadow Fresh Yogurt 180g",
         "绿野牧场 鲜酸奶 180g", "그린메도우 신선 요거트 180g"),
        ("Miaokelando", R, "59.90", "Miaokelando Kids Cheese Sticks 500g",
         "妙可蓝多 儿童奶酪棒 500g", "먀오커란둬 어린이 치즈스틱 500g"),
        ("Yakult", S, "11.50", "Yakult Probiotic Drink 100ml x 5",
         "养乐多 活菌型乳酸菌乳饮品 100ml×5", "야쿠르트 유산균 음료 100ml×5"),
        ("Daily Select", R, "29.90", "Daily Select Salted Butter 227g",
         "每日优选 有盐黄油 227g", "데일리 셀렉트 가염 버터 227g"),
        ("Weihenstephan", R, "19.90", "Weihenstephan Whole Milk 1L",
         "唯森 全脂纯牛奶 1L", "바이엔슈테판 전지우유 1L"),
    )),
    ("snacks", (
        ("Lay's", S, "7.50", "Lay's Classic Potato Chips 70g",
         "乐事 原味薯片 70g", "레이즈 오리지널 감자칩 70g"),
        ("Lay's", S, "7.50", "Lay's Cucumber Potato Chips 70g",
         "乐事 黄瓜味薯片 70g", "레이즈 오이맛 감자칩 70g"),
        ("Oreo", S, "8.90", "Oreo Original Sandwich Cookies 116g",
         "奥利奥 原味夹心饼干 116g", "오레오 오리지널 샌드위치 쿠키 116g"),
        ("Want Want", S, "6.90", "Want Want Senbei Rice Crackers 84g",
         "旺旺 仙贝 84g", "왕왕 센베이 쌀과자 84g"),
        ("Three Squirrels", S, "99.00", "Three Squirrels Daily Mixed Nuts 750g",
         "三只松鼠 每日坚果 750g", "싼즈쑹수 데일리 믹스너트 750g"),
        ("Three Squirrels", S, "14.90", "Three Squirrels Dried Mango 116g",
         "三只松鼠 芒果干 116g", "싼즈쑹수 말린 망고 116g"),
        ("Qiaqia", S, "12.90", "Qiaqia Spiced Sunflower Seeds 308g",
         "洽洽 香瓜子 308g", "차차 오향 해바라기씨 308g"),
        ("Weilong", S, "5.00", "Weilong Spicy Gluten Strips 106g",
         "卫龙 大面筋 106g", "웨이룽 매운 밀글루텐 스낵 106g"),
        ("Dove", S, "13.90", "Dove Silky Milk Chocolate 80g",
         "德芙 丝滑牛奶巧克力 80g", "도브 실키 밀크 초콜릿 80g"),
        ("Snickers", S, "4.50", "Snickers Peanut Chocolate Bar 51g",
         "士力架 花生夹心巧克力 51g", "스니커즈 땅콩 초코바 51g"),
        ("Bestore", S, "19.90", "Bestore Pork Jerky 100g",
         "良品铺子 猪肉脯 100g", "량핀푸쯔 돼지고기 육포 100g"),
        ("Xu Fu Ji", S, "16.90", "Xu Fu Ji Egg Sachima 469g",
         "徐福记 沙琪玛 鸡蛋味 469g", "쉬푸지 사치마 달걀맛 469g"),
        ("White Rabbit", S, "15.90", "White Rabbit Creamy Candy 227g",
         "大白兔 奶糖 227g", "화이트래빗 밀크 캔디 227g"),
        ("Extra", S, "11.90", "Extra Sugar-Free Gum Peppermint 40 pcs",
         "益达 无糖口香糖 薄荷味 40粒", "엑스트라 무설탕 껌 페퍼민트 40알"),
        ("Daily Select", S, "12.80", "Daily Select Five-Spice Peanuts 500g",
         "每日优选 五香花生 500g", "데일리 셀렉트 오향 땅콩 500g"),
        ("Kuai Kuai", S, "6.50", "Kuai Kuai Coconut Corn Puffs 52g",
         "乖乖 椰子口味玉米脆 52g", "과이과이 코코넛맛 콘스낵 52g"),
        ("Orion", S, "19.90", "Orion Choco Pie 12 pcs",
         "好丽友 巧克力派 12枚", "오리온 초코파이 12개"),
        ("Lotte", S, "7.50", "Lotte Pepero Original 47g",
         "乐天 Pepero 巧克力棒 47g", "롯데 빼빼로 오리지널 47g"),
        ("Nongshim", S, "8.50", "Nongshim Shrimp Crackers 75g",
         "农心 鲜虾条 75g", "농심 새우깡 75g"),
        ("Haitai", S, "12.90", "Haitai Honey Butter Chips 60g",
         "海太 蜂蜜黄油薯片 60g", "해태 허니버터칩 60g"),
        ("Ritter Sport", S, "16.90", "Ritter Sport Alpine Milk Chocolate 100g",
         "瑞特斯波德 阿尔卑斯牛奶巧克力 100g", "리터 스포트 알펜밀크 초콜릿 100g"),
        ("Haribo", S, "19.90", "Haribo Goldbears Gummies 200g",
         "哈瑞宝 金熊软糖 200g", "하리보 골드베렌 젤리 200g"),
        ("Glico", S, "6.90", "Glico Pocky Chocolate 45g",
         "格力高 百奇 巧克力味 45g", "글리코 포키 초콜릿 45g"),
        ("Calbee", S, "69.00", "Calbee Frugra Fruit Granola 600g",
         "卡乐比 富果乐 水果麦片 600g", "가루비 후루구라 과일 그래놀라 600g"),
        ("Hershey's", S, "8.50", "Hershey's Milk Chocolate Bar 43g",
         "好时 牛奶巧克力 43g", "허쉬 밀크 초콜릿 바 43g"),
        ("Pringles", S, "13.90", "Pringles Original 110g",
         "品客 原味薯片 110g", "프링글스 오리지널 110g"),
    )),
    ("bakery", (
        ("Taoli", S, "10.90", "Taoli Soft White Toast 400g",
         "桃李 醇熟切片面包 400g", "타오리 부드러운 식빵 400g"),
        ("Taoli", S, "3.50", "Taoli Chocolate Bun 75g",
         "桃李 巧克力面包 75g", "타오리 초콜릿 빵 75g"),
        ("Mankattan", S, "12.90", "Mankattan Whole Wheat Toast 400g",
         "曼可顿 全麦面包 400g", "만커둔 통밀 식빵 400g"),
        ("Daliyuan", S, "14.90", "Daliyuan French Milk Soft Bread 400g",
         "达利园 法式软面包 香奶味 400g", "다리위안 프렌치 소프트 빵 우유맛 400g"),
        ("Garden", S, "9.90", "Garden Soda Crackers 200g",
         "嘉顿 梳打饼干 200g", "가든 소다 크래커 200g"),
        ("Daily Select", S, "15.90", "Daily Select Butter Croissants 4 pcs",
         "每日优选 黄油牛角包 4个", "데일리 셀렉트 버터 크루아상 4개"),
        ("Daily Select", S, "19.90", "Daily Select Portuguese Egg Tarts 6 pcs",
         "每日优选 葡式蛋挞 6个", "데일리 셀렉트 포르투갈식 에그타르트 6개"),
        ("Daily Select", S, "9.90", "Daily Select Pork Floss Buns 2 pcs",
         "每日优选 肉松面包 2个", "데일리 셀렉트 육송 빵 2개"),
        ("Daily Select", S, "8.90", "Daily Select Baguette",
         "每日优选 法棍", "데일리 셀렉트 바게트"),
        ("Wing Wah", S, "268.00", "Wing Wah Double Yolk Lotus Mooncake Gift Box 740g",
         "荣华 双黄白莲蓉月饼礼盒 740g", "윙와 쌍노른자 연밥 월병 선물세트 740g"),
    )),
    ("produce", (
        ("Daily Select", R, "16.90", "Daily Select Free-Range Eggs 10 pcs",
         "每日优选 散养鸡蛋 10枚", "데일리 셀렉트 방사 유정란 10구"),
        ("Daily Select", R, "3.50", "Daily Select Firm Tofu 400g",
         "每日优选 北豆腐 400g", "데일리 셀렉트 부침용 두부 400g"),
        ("Daily Select", R, "9.90", "Daily Select Cherry Tomatoes 500g",
         "每日优选 圣女果 500g", "데일리 셀렉트 방울토마토 500g"),
        ("Daily Select", R, "6.90", "Daily Select Fresh Shiitake Mushrooms 200g",
         "每日优选 鲜香菇 200g", "데일리 셀렉트 생표고버섯 200g"),
    )),
    ("seafood", (
        ("Daily Select", R, "49.90", "Daily Select Frozen Whiteleg Shrimp 500g",
         "每日优选 冻南美白虾 500g", "데일리 셀렉트 냉동 흰다리새우 500g"),
        ("Daily Select", R, "35.90", "Daily Select Frozen Basa Fillets 800g",
         "每日优选 冷冻巴沙鱼柳 800g", "데일리 셀렉트 냉동 바사 필레 800g"),
    )),
    ("frozen", (
        ("Wanchai Ferry", S, "32.90", "Wanchai Ferry Pork & Cabbage Dumplings 720g",
         "湾仔码头 猪肉白菜水饺 720g", "완차이 페리 돼지고기 배추 물만두 720g"),
        ("Wanchai Ferry", S, "22.90", "Wanchai Ferry Shrimp Wontons 300g",
         "湾仔码头 鲜虾云吞 300g", "완차이 페리 새우 완탕 300g"),
        ("Sinian", S, "12.90", "Sinian Black Sesame Tangyuan 500g",
         "思念 黑芝麻汤圆 500g", "쓰녠 흑임자 탕위안 500g"),
        ("Anjoy", S, "12.90", "Anjoy Fuzhou Fish Balls 400g",
         "安井 福州鱼丸 400g", "안징 푸저우 피시볼 400g"),
        ("Northern Chef", S, "19.90", "Northern Chef Shrimp & Pork Wontons 500g",
         "北方大厨 鲜虾猪肉馄饨 500g", "북방셰프 새우 돼지고기 훈툰 500g"),
        ("Yili", S, "15.00", "Yili Qiaolezi Chocolate Ice Cream Bars 4 pcs",
         "伊利 巧乐兹 经典巧克力雪糕 4支", "이리 차오러쯔 초코 아이스바 4개"),
        ("Daily Select", S, "9.90", "Daily Select Frozen Sweet Corn 500g",
         "每日优选 速冻甜玉米粒 500g", "데일리 셀렉트 냉동 스위트콘 500g"),
        ("Bibigo", S, "29.90", "Bibigo Kimchi Dumplings 350g",
         "必品阁 泡菜饺子 350g", "비비고 김치왕교자 350g"),
        ("Binggrae", S, "19.90", "Binggrae Melona Ice Bars 6 pcs",
         "宾格瑞 哈密瓜味雪糕 6支", "빙그레 메로나 6개"),
        ("Ajinomoto", S, "25.90", "Ajinomoto Japanese Gyoza 12 pcs",
         "味之素 日式煎饺 12个", "아지노모토 일본식 교자 12개"),
    )),
    ("rice_noodles", (
        ("Arawana", R, "39.90", "Arawana Northeast Rice 5kg",
         "金龙鱼 东北大米 5kg", "진룽위 둥베이 쌀 5kg"),
        ("Daily Select", R, "69.90", "Daily Select Wuchang Daohuaxiang Rice 5kg",
         "每日优选 五常稻花香大米 5kg", "데일리 셀렉트 우창 다오화샹 쌀 5kg"),
        ("Daily Select", R, "12.90", "Daily Select Glutinous Rice 1kg",
         "每日优选 圆糯米 1kg", "데일리 셀렉트 찹쌀 1kg"),
        ("Arawana", R, "29.90", "Arawana All-Purpose Wheat Flour 5kg",
         "金龙鱼 多用途麦芯小麦粉 5kg", "진룽위 다용도 밀가루 5kg"),
        ("Kemen", R, "8.90", "Kemen Dried Noodles 1kg",
         "克明 精制挂面 1kg", "커밍 건면 1kg"),
        ("Master Kong", S, "14.50", "Master Kong Braised Beef Noodles 5-Pack",
         "康师傅 红烧牛肉面 5连包", "캉스푸 훙사오 소고기면 5개입"),
        ("Uni-President", S, "4.50", "Uni-President Pickled Cabbage Beef Noodles Cup",
         "统一 老坛酸菜牛肉面 桶装", "퉁이 라오탄 쏸차이 소고기면 컵"),
        ("Haohuanluo", S, "13.90", "Haohuanluo Liuzhou Snail Rice Noodles 400g",
         "好欢螺 柳州螺蛳粉 400g", "하오환뤄 류저우 뤄쓰펀 400g"),
        ("Nongshim", S, "24.90", "Nongshim Shin Ramyun 120g x 5",
         "农心 辛拉面 120g×5", "농심 신라면 120g×5"),
        ("Samyang", S, "35.90", "Samyang Buldak Hot Chicken Ramen 140g x 5",
         "三养 火鸡面 140g×5", "삼양 불닭볶음면 140g×5"),
        ("Wei Lih", S, "22.90", "Wei Lih Zha Jiang Noodles 90g x 5",
         "维力 炸酱面 90g×5", "웨이리 자장면 90g×5"),
    )),
    ("condiments", (
        ("Haitian", S, "9.90", "Haitian Premium Light Soy Sauce 500ml",
         "海天 金标生抽 500ml", "하이톈 프리미엄 생추 간장 500ml"),
        ("Haitian", S, "10.90", "Haitian Superior Dark Soy Sauce 500ml",
         "海天 老抽王 500ml", "하이톈 노추 간장 500ml"),
        ("Lee Kum Kee", S, "16.90", "Lee Kum Kee Premium Oyster Sauce 510g",
         "李锦记 旧庄特级蚝油 510g", "이금기 프리미엄 굴소스 510g"),
        ("Lao Gan Ma", S, "12.50", "Lao Gan Ma Black Bean Chili Sauce 280g",
         "老干妈 风味豆豉油制辣椒 280g", "라오간마 더우츠 고추기름 소스 280g"),
        ("Lao Gan Ma", S, "11.90", "Lao Gan Ma Spicy Chili Crisp 210g",
         "老干妈 香辣脆油辣椒 210g", "라오간마 바삭한 고추기름 210g"),
        ("Hengshun", S, "8.90", "Hengshun Zhenjiang Black Vinegar 500ml",
         "恒顺 镇江香醋 500ml", "헝순 전장 흑식초 500ml"),
        ("Totole", S, "11.50", "Totole Chicken Bouillon Granules 200g",
         "太太乐 鸡精 200g", "타이타이러 치킨 조미료 200g"),
        ("Luhua", R, "169.90", "Luhua 5S Pressed Peanut Oil 5L",
         "鲁花 5S压榨一级花生油 5L", "루화 5S 압착 땅콩기름 5L"),
        ("Arawana", R, "69.90", "Arawana Golden Ratio Blended Cooking Oil 5L",
         "金龙鱼 黄金比例食用调和油 5L", "진룽위 황금비율 식용유 5L"),
        ("China Salt", R, "2.50", "China Salt Iodized Refined Salt 400g",
         "中盐 加碘精制盐 400g", "중옌 요오드 정제염 400g"),
        ("Taikoo", S, "7.50", "Taikoo Fine White Sugar 454g",
         "太古 优级白砂糖 454g", "타이쿠 백설탕 454g"),
        ("Juancheng", S, "11.90", "Juancheng Pixian Chili Bean Paste 500g",
         "鹃城牌 郫县豆瓣 500g", "쥐안청 피셴 두반장 500g"),
        ("Wang Shouyi", S, "4.50", "Wang Shouyi Thirteen Spices 45g",
         "王守义 十三香 45g", "왕서우이 스싼샹 향신료 45g"),
        ("Wujiang", S, "2.00", "Wujiang Fuling Pickled Mustard Tuber 80g",
         "乌江 涪陵榨菜 80g", "우장 푸링 자차이 80g"),
        ("CJ Haechandle", S, "24.90", "CJ Haechandle Gochujang 500g",
         "CJ 好餐得 韩式辣椒酱 500g", "CJ 해찬들 태양초 고추장 500g"),
        ("Ottogi", S, "19.90", "Ottogi Mayonnaise 500g",
         "不倒翁 蛋黄酱 500g", "오뚜기 마요네즈 500g"),
        ("Kewpie", S, "9.90", "Kewpie Sweet Salad Dressing 200g",
         "丘比 沙拉酱 香甜味 200g", "큐피 샐러드 드레싱 달콤한 맛 200g"),
        ("Kikkoman", S, "16.90", "Kikkoman Special Selection Soy Sauce 500ml",
         "龟甲万 特选酱油 500ml", "깃코만 특선 간장 500ml"),
        ("Heinz", S, "12.90", "Heinz Tomato Ketchup 397g",
         "亨氏 番茄酱 397g", "하인즈 토마토 케첩 397g"),
        ("Skippy", S, "22.90", "Skippy Creamy Peanut Butter 340g",
         "四季宝 柔滑花生酱 340g", "스키피 크리미 땅콩버터 340g"),
    )),
    ("household", (
        ("Blue Moon", S, "49.90", "Blue Moon Deep Clean Laundry Liquid Lavender 3kg",
         "蓝月亮 深层洁净洗衣液 薰衣草 3kg", "란웨량 딥클린 세탁세제 라벤더 3kg"),
        ("Liby", S, "11.90", "Liby Lemon Dishwashing Liquid 1.29kg",
         "立白 柠檬洗洁精 1.29kg", "리바이 레몬 주방세제 1.29kg"),
        ("Tide", S, "29.90", "Tide Laundry Powder 2.25kg",
         "汰渍 洁净薰香洗衣粉 2.25kg", "타이드 가루세제 2.25kg"),
        ("Vinda", S, "19.90", "Vinda 3-Ply Facial Tissues 100 Sheets x 6",
         "维达 超韧抽纸 3层100抽×6包", "웨이다 3겹 미용티슈 100매×6팩"),
        ("Vinda", S, "29.90", "Vinda Blue Classic Toilet Rolls 4-Ply 10 Rolls",
         "维达 蓝色经典卷纸 4层 10卷", "웨이다 블루 클래식 화장지 4겹 10롤"),
        ("Mind Act Upon Mind", S, "12.90", "Mind Act Upon Mind Kitchen Towels 2 Rolls",
         "心相印 厨房用纸 2卷", "신샹인 키친타월 2롤"),
        ("Miaojie", S, "12.90", "Miaojie Cling Film 30cm x 30m",
         "妙洁 保鲜膜 30cm×30m", "먀오제 랩 30cm×30m"),
        ("Nanfu", S, "14.90", "Nanfu Alkaline Batteries AA 4 pcs",
         "南孚 碱性电池 5号 4粒", "난푸 알카라인 건전지 AA 4개"),
        ("Lanju", S, "19.90", "Lanju Electric Mosquito Repellent Liquid 45ml",
         "榄菊 电热蚊香液 45ml", "란쥐 전자 모기향 리필액 45ml"),
        ("Dettol", S, "45.90", "Dettol Antiseptic Disinfectant Liquid 750ml",
         "滴露 消毒液 750ml", "데톨 살균 소독액 750ml"),
        ("Daily Select", S, "14.90", "Daily Select Drawstring Trash Bags 45x50cm 60 pcs",
         "每日优选 抽绳垃圾袋 45×50cm 60只", "데일리 셀렉트 끈 쓰레기봉투 45×50cm 60매"),
        ("Daily Select", S, "3.90", "Daily Select Incandescent Bulb 60W E27",
         "每日优选 白炽灯泡 60W E27", "데일리 셀렉트 백열전구 60W E27"),
        ("Frosch", S, "29.90", "Frosch Lemon Dishwashing Liquid 500ml",
         "菲洛施 柠檬洗洁精 500ml", "프로쉬 레몬 주방세제 500ml"),
        ("Kao", S, "39.90", "Kao Attack Laundry Liquid 880g",
         "花王 洁霸 洗衣液 880g", "가오 어택 세탁세제 880g"),
        ("Scotch-Brite", S, "9.90", "Scotch-Brite Scrub Sponges 3 pcs",
         "思高 百洁布海绵 3片", "스카치브라이트 수세미 3개"),
        ("Ziploc", S, "25.90", "Ziploc Freezer Bags Medium 15 pcs",
         "密保诺 冷冻保鲜袋 中号 15只", "지퍼락 냉동 보관백 중형 15매"),
    )),
    ("personal_care", (
        ("Colgate", S, "22.90", "Colgate Total 12 Toothpaste 140g",
         "高露洁 全效12 牙膏 140g", "콜게이트 토탈12 치약 140g"),
        ("Yunnan Baiyao", S, "39.90", "Yunnan Baiyao Toothpaste Spearmint 180g",
         "云南白药 牙膏 留兰香型 180g", "윈난바이야오 치약 스피어민트 180g"),
        ("Darlie", S, "19.90", "Darlie Double Action Toothpaste 225g",
         "好来 双重薄荷牙膏 225g", "달리 더블 액션 치약 225g"),
        ("Oral-B", S, "19.90", "Oral-B Soft Toothbrush 2 pcs",
         "欧乐B 软毛牙刷 2支", "오랄비 부드러운 칫솔 2개"),
        ("Head & Shoulders", S, "59.90", "Head & Shoulders Anti-Dandruff Shampoo 400ml",
         "海飞丝 去屑洗发露 400ml", "헤드앤숄더 비듬 샴푸 400ml"),
        ("Safeguard", S, "12.90", "Safeguard Pure White Soap 3 Bars",
         "舒肤佳 纯白清香型香皂 3块", "세이프가드 퓨어 화이트 비누 3개"),
        ("Whisper", S, "16.90", "Whisper Ultra-Thin Day Pads 240mm 10 pcs",
         "护舒宝 超薄日用卫生巾 240mm 10片", "위스퍼 울트라 슬림 주간용 생리대 240mm 10매"),
        ("Lux", S, "39.90", "Lux Perfumed Body Wash 720ml",
         "力士 香氛沐浴露 720ml", "럭스 퍼퓸 바디워시 720ml"),
        ("Dabao", S, "19.90", "Dabao SOD Moisturizing Lotion 200ml",
         "大宝 SOD蜜 200ml", "다바오 SOD 보습 로션 200ml"),
        ("Walch", S, "19.90", "Walch Antibacterial Hand Wash 525ml",
         "威露士 健康抑菌洗手液 525ml", "월치 항균 핸드워시 525ml"),
        ("Nivea", S, "39.90", "Nivea Creme 150ml",
         "妮维雅 蓝罐润肤霜 150ml", "니베아 크림 150ml"),
        ("Shiseido", S, "49.90", "Shiseido Senka Perfect Whip Cleanser 120g",
         "资生堂 洗颜专科 洁面乳 120g", "시세이도 센카 퍼펙트 휩 클렌저 120g"),
        ("Mediheal", S, "99.00", "Mediheal Tea Tree Sheet Masks 10 pcs",
         "美迪惠尔 茶树面膜 10片", "메디힐 티트리 마스크팩 10매"),
        ("Gillette", S, "59.90", "Gillette Mach3 Razor",
         "吉列 锋速3 手动剃须刀", "질레트 마하3 면도기"),
    )),
    ("baby", (
        ("Pampers", S, "99.00", "Pampers Baby-Dry Diapers M 62 pcs",
         "帮宝适 超薄干爽纸尿裤 M号 62片", "팸퍼스 베이비드라이 기저귀 M 62매"),
        ("Merries", S, "139.00", "Merries Diapers L 54 pcs",
         "花王 妙而舒 纸尿裤 L号 54片", "메리즈 기저귀 L 54매"),
        ("Feihe", S, "288.00", "Feihe Astrobaby Toddler Formula Stage 3 700g",
         "飞鹤 星飞帆 幼儿配方奶粉 3段 700g", "페이허 싱페이판 유아용 분유 3단계 700g"),
        ("Aptamil", S, "298.00", "Aptamil Follow-On Formula Stage 2 800g",
         "爱他美 较大婴儿配方奶粉 2段 800g", "압타밀 분유 2단계 800g"),
        ("Little Sprout", S, "39.90", "Little Sprout Organic Iron Rice Cereal 225g",
         "小芽儿 有机高铁米粉 225g", "리틀 스프라우트 유기농 철분 쌀 이유식 225g"),
        ("Pigeon", S, "39.90", "Pigeon Baby Wipes 80 pcs x 3",
         "贝亲 婴儿湿巾 80片×3包", "피죤 아기 물티슈 80매×3팩"),
    )),
    ("alcohol", (
        ("Tsingtao", S, "6.50", "Tsingtao Classic Beer Can 500ml",
         "青岛啤酒 经典 罐装 500ml", "칭다오 클래식 맥주 캔 500ml"),
        ("Snow", S, "5.50", "Snow Brave the World Beer 500ml",
         "雪花 勇闯天涯 啤酒 500ml", "쉐화 용촹톈야 맥주 500ml"),
        ("Yanjing", S, "4.50", "Yanjing Lager Glass Bottle 600ml",
         "燕京啤酒 清爽型 玻璃瓶 600ml", "옌징 라거 맥주 유리병 600ml"),
        ("Taiwan Beer", S, "7.90", "Taiwan Beer Gold Medal 330ml",
         "台湾啤酒 金牌 330ml", "타이완 맥주 골드메달 330ml"),
        ("Paulaner", S, "19.90", "Paulaner Hefe-Weissbier 500ml",
         "保拉纳 小麦啤酒 500ml", "파울라너 헤페바이스비어 500ml"),
        ("Asahi", S, "12.90", "Asahi Super Dry 500ml",
         "朝日 超爽啤酒 500ml", "아사히 슈퍼드라이 500ml"),
        ("Jinro", S, "19.90", "Jinro Chamisul Fresh Soju 360ml",
         "真露 竹炭酒 360ml", "진로 참이슬 후레쉬 소주 360ml"),
        ("Red Star", S, "15.00", "Red Star Erguotou 56% 500ml",
         "红星 二锅头 56度 500ml", "훙싱 얼궈터우 56도 500ml"),
        ("Yanghe", S, "499.00", "Yanghe Dream Blue M3 Baijiu 52% 500ml",
         "洋河 梦之蓝 M3 白酒 52度 500ml", "양허 멍즈란 M3 바이주 52도 500ml"),
        ("Great Wall", S, "89.00", "Great Wall Cabernet Sauvignon Dry Red 750ml",
         "长城 赤霞珠干红葡萄酒 750ml", "창청 카베르네 소비뇽 레드와인 750ml"),
        ("Jack Daniel's", S, "219.00", "Jack Daniel's Tennessee Whiskey 700ml",
         "杰克丹尼 田纳西州威士忌 700ml", "잭 다니엘스 테네시 위스키 700ml"),
    )),
    ("tobacco", (
        ("Chunghwa", S, "45.00", "Chunghwa Hard Pack 20 Cigarettes",
         "中华 (硬) 20支", "중화 하드팩 담배 20개비"),
        ("Double Happiness", S, "15.00", "Double Happiness Soft Classic 20 Cigarettes",
         "双喜 (软经典) 20支", "솽시 소프트 클래식 담배 20개비"),
        ("Furong Wang", S, "25.00", "Furong Wang Hard Pack 20 Cigarettes",
         "芙蓉王 (硬) 20支", "푸룽왕 하드팩 담배 20개비"),
        ("Yunyan", S, "21.00", "Yunyan Purple 20 Cigarettes",
         "云烟 (紫) 20支", "윈옌 퍼플 담배 20개비"),
    )),
    ("health", (
        ("By-health", S, "68.00", "By-health Vitamin C Tablets 100 pcs",
         "汤臣倍健 维生素C片 100片", "탕천베이젠 비타민C 100정"),
        ("999", S, "16.50", "999 Ganmaoling Cold Relief Granules 10 Sachets",
         "999 感冒灵颗粒 10袋", "999 감모령 감기 과립 10포"),
        ("Winner Medical", S, "19.90", "Winner Medical Disposable Face Masks 50 pcs",
         "稳健医疗 一次性医用口罩 50只", "윈젠 메디컬 일회용 의료용 마스크 50매"),
        ("Band-Aid", S, "12.90", "Band-Aid Waterproof Adhesive Bandages 20 pcs",
         "邦迪 防水创可贴 20片", "밴드에이드 방수 밴드 20매"),
        ("Cheong Kwan Jang", S, "168.00", "Cheong Kwan Jang Red Ginseng Sticks 10ml x 10",
         "正官庄 高丽参 红参精 10ml×10", "정관장 홍삼정 에브리타임 10ml×10포"),
    )),
)

# Sold by weight: (PLU, category, tax class, price per kg, English, Chinese, Korean). Their
# GTIN is a restricted-circulation number "22" + PLU + "00000" + check; the scale label
# puts the weight where the zeros are.
WEIGHED_BRAND = "Daily Select"
Weighed = tuple[int, str, str, str, str, str, str]
WEIGHED: tuple[Weighed, ...] = (
    (10001, "produce", R, "12.80", "Fuji Apples", "红富士苹果", "후지 사과"),
    (10002, "produce", R, "6.98", "Bananas", "香蕉", "바나나"),
    (10003, "produce", R, "9.80", "Gannan Navel Oranges", "赣南脐橙", "간난 네이블 오렌지"),
    (10004, "produce", R, "7.98", "Dangshan Pears", "砀山酥梨", "당산 배"),
    (10005, "produce", R, "19.80", "Kyoho Grapes", "巨峰葡萄", "거봉 포도"),
    (10006, "produce", R, "6.58", "Tomatoes", "西红柿", "토마토"),
    (10007, "produce", R, "5.98", "Cucumbers", "黄瓜", "오이"),
    (10008, "produce", R, "3.98", "Potatoes", "土豆", "감자"),
    (10009, "produce", R, "2.58", "Napa Cabbage", "大白菜", "배추"),
    (20001, "meat", R, "32.80", "Pork Belly", "五花肉", "돼지 삼겹살"),
    (20002, "meat", R, "49.80", "Pork Spare Ribs", "猪肋排", "돼지 등갈비"),
    (20003, "meat", R, "88.00", "Beef Brisket", "牛腩", "소고기 양지"),
    (20004, "meat", R, "19.90", "Chicken Drumsticks", "鸡腿", "닭다리"),
    (20005, "meat", S, "59.80", "Peking Roast Duck (Deli)", "北京烤鸭 (熟食)",
     "베이징 오리구이 (조리식품)"),
    (30001, "seafood", R, "39.80", "Hairtail Fish", "带鱼", "갈치"),
    (30002, "seafood", R, "79.80", "Live Whiteleg Shrimp", "鲜活基围虾", "활 흰다리새우"),
)


@dataclass(frozen=True)
class Special:
    """What sets a product apart from the defaults (sellable, not recalled, no deposit)."""

    sellable: bool = True
    recalled: bool = False
    recalled_lots: tuple[str, ...] = ()
    deposit: str = ""
    case_indicators: tuple[int, ...] = ()  # GTIN-14s of trade units: indicator + item
    old_codes: tuple[str, ...] = ()  # 12-digit bodies of GTIN-13s the item used to carry


# Keyed by English name; every key must match a product.
SPECIALS: dict[str, Special] = {
    "Coca-Cola Glass Bottle 275ml": Special(deposit="0.50"),
    "Arctic Ocean Orange Soda Glass Bottle 248ml": Special(deposit="0.50"),
    "Yanjing Lager Glass Bottle 600ml": Special(deposit="0.50"),
    "Sanyuan Old Beijing Yogurt Ceramic Jar 166g": Special(deposit="1.00"),
    "Nongfu Spring Natural Water 550ml": Special(case_indicators=(1,)),  # case of 24
    "Tsingtao Classic Beer Can 500ml": Special(case_indicators=(1, 2)),  # 6-pack, tray of 24
    "Coca-Cola Can 330ml": Special(old_codes=("695128700099",)),  # before the relabel
    "Lay's Classic Potato Chips 70g": Special(old_codes=("693350900098",)),  # the 75g bag
    "Wing Wah Double Yolk Lotus Mooncake Gift Box 740g": Special(sellable=False),  # display
    "Daily Select Incandescent Bulb 60W E27": Special(sellable=False),  # discontinued
    "Northern Chef Shrimp & Pork Wontons 500g": Special(recalled=True),
    "Little Sprout Organic Iron Rice Cereal 225g": Special(recalled_lots=("L2311A", "L2311B")),
    "Green Meadow Fresh Yogurt 180g": Special(recalled_lots=("L240817",)),
}

PRICE = re.compile(r"\d+\.\d\d")


def check_digit(body: str) -> str:
    """GS1 mod-10 check digit: weights 3, 1, 3, 1... from the rightmost body digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def with_check(body: str) -> str:
    return body + check_digit(body)


@dataclass(frozen=True)
class Item:
    gtin: str
    names: tuple[str, str, str]  # en, zh_CN, ko
    brand: str
    category: str
    tax_class: str
    price: str
    unit: str

    def row(self) -> list[str]:
        special = SPECIALS.get(self.names[0], Special())
        extra = [with_check(str(i) + self.gtin[:12]) for i in special.case_indicators]
        extra += [with_check(body) for body in special.old_codes]
        return [
            self.gtin, *self.names, self.brand, self.category, self.tax_class, self.price,
            "CNY", self.unit, str(AGE_RESTRICTED.get(self.category, 0)),
            "1" if special.sellable else "0", "1" if special.recalled else "0",
            "|".join(special.recalled_lots), special.deposit, "|".join(extra),
        ]


def build() -> list[Item]:
    """All products, fixed-price ones first, then the weighed ones, each with its GTIN."""
    items: list[Item] = []
    next_ref: dict[str, int] = {}
    for category, rows in SECTIONS:
        for brand, tax, price, en, zh, ko in rows:
            prefix = PREFIXES[brand]
            ref = next_ref.get(prefix, 101)
            next_ref[prefix] = ref + 1
            body = f"{prefix}{ref:0{12 - len(prefix)}d}"
            items.append(Item(with_check(body), (en, zh, ko), brand, category, tax, price, "each"))
    for plu, category, tax, price, en, zh, ko in WEIGHED:
        body = f"22{plu:05d}00000"
        items.append(
            Item(with_check(body), (en, zh, ko), WEIGHED_BRAND, category, tax, price, "kg")
        )
    validate(items)
    return items


def validate(items: list[Item]) -> None:
    names = {item.names[0] for item in items}
    if unknown := set(SPECIALS) - names:
        raise ValueError(f"SPECIALS name no product: {sorted(unknown)}")
    codes = [item.gtin for item in items]
    codes += [code for item in items for code in item.row()[-1].split("|") if code]
    if len(set(codes)) != len(codes):
        raise ValueError("duplicate GTINs")
    for item in items:
        if len(item.gtin) != 13 or item.category not in CATEGORIES:
            raise ValueError(f"bad product {item}")
        if item.tax_class not in (R, S) or not PRICE.fullmatch(item.price):
            raise ValueError(f"bad tax class or price in {item}")


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUTPUT
    items = build()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(item.row() for item in items)
    print(f"wrote {len(items)} products to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
